/* spin STEPS WORK [EXIT]: STEPS gpuos phases "step", each computing WORK units of arithmetic on the CPU (no syscall, so
 * only its time and on-CPU time grow with WORK); then exits with EXIT. Links against libgpuos. */
#include "gpuos.h"
#include <stdint.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 3;
    long work = argc > 2 ? atol(argv[2]) : 1;
    int code = argc > 3 ? atoi(argv[3]) : 0;
    volatile uint64_t x = 1;
    for (int s = 0; s < steps; s++) {
        gpuos_phase_begin("step", GPUOS_CLASS_LATENCY);
        for (long i = 0; i < work * 100000; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
        }
        gpuos_phase_end("step");
    }
    return code;
}
