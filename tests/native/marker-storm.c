/* marker-storm PHASES [OUTFILE]: PHASES gpuos phases "m" in a row on the main thread, each a begin and an end marker
 * (2 * PHASES markers); the class is inherited, so no hint makes a syscall. The loop's own time in nanoseconds goes to
 * OUTFILE, so the cost of a marker is timed without the process's start, the library's load or a tracer's setup.
 * Used by `gpuosspec bench overhead`; links against libgpuos. */
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: marker-storm PHASES [OUTFILE]\n");
        return 2;
    }
    long phases = atol(argv[1]);
    long long start = now_ns();
    for (long i = 0; i < phases; i++) {
        if (gpuos_phase_begin("m", GPUOS_CLASS_INHERIT) < 0 || gpuos_phase_end("m") < 0) {
            fprintf(stderr, "marker-storm: %s\n", gpuos_last_error());
            return 1;
        }
    }
    long long elapsed = now_ns() - start;
    if (argc > 2) {
        FILE *out = fopen(argv[2], "w");
        if (out == NULL || fprintf(out, "%lld\n", elapsed) < 0 || fclose(out) != 0) {
            perror("marker-storm: OUTFILE");
            return 1;
        }
    }
    return 0;
}
