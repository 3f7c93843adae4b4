/* A program marked with gpuos phases: setup allocates and touches memory, steady computes without the OS, report
 * writes its result. The command specs trace it. */
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1 << 22;
    gpuos_phase_begin("setup", GPUOS_CLASS_LATENCY);
    double *a = mmap(NULL, (size_t)n * sizeof(double), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) {
        return 1;
    }
    memset(a, 0, (size_t)n * sizeof(double));
    gpuos_phase_end("setup");

    gpuos_phase_begin("steady", GPUOS_CLASS_THROUGHPUT);
    double sum = 0;
    for (int round = 0; round < 20; round++) {
        for (long i = 0; i < n; i++) {
            a[i] = a[i] * 0.5 + (double)(i & 7);
            sum += a[i];
        }
    }
    gpuos_phase_end("steady");

    gpuos_phase_begin("report", GPUOS_CLASS_LATENCY);
    printf("sum %.1f\n", sum);
    fflush(stdout);
    gpuos_phase_end("report");
    munmap(a, (size_t)n * sizeof(double));
    return 0;
}
