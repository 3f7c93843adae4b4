/* markers STEPS [QUIET] [EXTRA]: STEPS steps, each a gpuos phase "step" holding "data" (2 getppid, plus EXTRA more)
 * and "forward" (5 getppid and 100 instant markers); then a phase "quiet" holding QUIET instant markers and nothing
 * else; links against libgpuos. */
#include "gpuos.h"
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 3;
    int extra = argc > 3 ? atoi(argv[3]) : 0;
    for (int s = 0; s < steps; s++) {
        gpuos_phase_begin("step", GPUOS_CLASS_LATENCY);
        gpuos_phase_begin("data", GPUOS_CLASS_INHERIT);
        getppid();
        getppid();
        for (int i = 0; i < extra; i++) {
            getppid();
        }
        gpuos_phase_end("data");
        gpuos_phase_begin("forward", GPUOS_CLASS_INHERIT);
        for (int i = 0; i < 5; i++) {
            getppid();
        }
        for (int i = 0; i < 100; i++) {
            gpuos_mark("tick");
        }
        gpuos_phase_end("forward");
        gpuos_phase_end("step");
    }
    int quiet = argc > 2 ? atoi(argv[2]) : 0;
    if (quiet > 0) {
        gpuos_phase_begin("quiet", GPUOS_CLASS_LATENCY);
        for (int i = 0; i < quiet; i++) {
            gpuos_mark("q");
        }
        gpuos_phase_end("quiet");
    }
    gpuos_phase_begin("left-open", GPUOS_CLASS_LATENCY);
    return 0;
}
