/* exec-markers: marks phase "first" (2 getppid), leaves phase "carried" open and execs itself as
 * "exec-markers second", which marks phase "second" (3 getppid); links against libgpuos. The two images' marker
 * sequence numbers both start at 1. */
#include "gpuos.h"
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "second") == 0) {
        gpuos_phase_begin("second", GPUOS_CLASS_LATENCY);
        for (int i = 0; i < 3; i++) {
            getppid();
        }
        gpuos_phase_end("second");
        return 0;
    }
    gpuos_phase_begin("first", GPUOS_CLASS_LATENCY);
    getppid();
    getppid();
    gpuos_phase_end("first");
    gpuos_phase_begin("carried", GPUOS_CLASS_LATENCY);
    getppid();
    execl("/proc/self/exe", argv[0], "second", (char *)0);
    return 127;
}
