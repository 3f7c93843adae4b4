/* marker-wait FILE: marks one instant (so the library is mapped and a probe on it has been hit), writes its pid to
 * FILE.pid, then waits until FILE exists (at most 10 s) and exits 0 (1 when it was never released); links against
 * libgpuos. */
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: marker-wait FILE\n");
        return 2;
    }
    gpuos_mark("ready");
    char pidfile[4096];
    snprintf(pidfile, sizeof pidfile, "%s.pid.tmp", argv[1]);
    FILE *f = fopen(pidfile, "w");
    if (!f) {
        return 2;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
    char done[4096];
    snprintf(done, sizeof done, "%s.pid", argv[1]);
    rename(pidfile, done); /* whole, so the reader never sees half a number */
    for (int i = 0; i < 10000; i++) {
        if (access(argv[1], F_OK) == 0) {
            return 0;
        }
        usleep(1000);
    }
    return 1;
}
