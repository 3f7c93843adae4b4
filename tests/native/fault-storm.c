/* fault-storm ROUNDS: a gpuos phase "steady" of ROUNDS rounds, each dropping 4 MiB (madvise) and touching each page
 * again (1,024 minor faults a round, transparent huge pages off for the region); prints the phase's ns per fault on
 * stderr. tools/fault-cost.sh times it untraced and traced. Links against libgpuos. */
#define _GNU_SOURCE
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#define REGION (4u << 20)
static long long now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    volatile char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)region, REGION, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < REGION; i += 4096) {
        region[i] = 1;
    }
    gpuos_phase_begin("steady", GPUOS_CLASS_INHERIT);
    long long t0 = now();
    for (int r = 0; r < rounds; r++) {
        madvise((void *)region, REGION, MADV_DONTNEED);
        for (size_t i = 0; i < REGION; i += 4096) {
            region[i] = 2;
        }
    }
    long long t1 = now();
    gpuos_phase_end("steady");
    fprintf(stderr, "fault-storm %d rounds %.1f ns/fault\n", rounds, (double)(t1 - t0) / (rounds * (REGION / 4096)));
    return 0;
}
