/* bench_markers [N]: ns per gpuos_mark, median of 7 rounds of N markers (default 1,000,000). Run it plain for the
 * untraced cost, and under `gpuosspec trace` (which puts a uprobe on every marker) for the traced cost. */
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    double r[7];
    for (int k = 0; k < 7; k++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            gpuos_mark("bench");
        }
        r[k] = (now() - t0) / (double)n;
    }
    qsort(r, 7, sizeof r[0], cmp);
    printf("gpuos_mark: median %.1f ns per marker (min %.1f, max %.1f) over 7 rounds of %ld\n", r[3], r[0], r[6], n);
    return 0;
}
