/* fake-cuda: a stand-in for libcuda.so.1 with the four driver-API entry points the check rules' tests call, so the
 * rules about launches, waits and allocations can be broken and kept on a machine without a GPU. gpuosspec's API
 * probes find it as they find the real library (the loader resolves libcuda.so.1 through LD_LIBRARY_PATH).
 *   cuLaunchKernel: grid width 1 is a launch in user space; 2 makes a syscall (getppid), as a launch that reaches
 *                   the OS would; 100 + N calls itself N deep (every level a probed call: nested API calls), then
 *                   makes one getppid at the bottom.
 *   cuStreamSynchronize: the stream handle picks the wait: 1 spins on the CPU through a fixed amount of work (20
 *                   million steps, tens of ms of CPU, far above the 2 ms limit), 2 parks (nanosleep) for 5 ms, 3 calls
 *                   sched_yield 200 times (CUDA's yield sync mode), anything else returns at once. The spin and the
 *                   yields are counted, not timed: on a loaded machine a timed spin was preempted below the limit and
 *                   a timed yield loop made fewer calls than the rule's bound, so a test meant to break a rule kept it.
 *   cuMemAlloc_v2 / cuMemFree_v2: malloc and free.
 * Build: cc -O2 -fPIC -shared -Wl,-soname,libcuda.so.1 -o DIR/libcuda.so.1 fake-cuda.c */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

__attribute__((noinline)) CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                                                  unsigned shared, void *stream, void **params, void **extra)
{
    (void)f; (void)gy; (void)gz; (void)bx; (void)by; (void)bz; (void)shared; (void)stream; (void)params; (void)extra;
    if (gx > 100) {
        /* Not a tail call, so each level stays a call the return probe sees. */
        volatile CUresult r = cuLaunchKernel(f, gx - 1, gy, gz, bx, by, bz, shared, stream, params, extra);
        return r;
    }
    if (gx == 2 || gx == 100) {
        getppid();
    }
    return 0;
}

__attribute__((noinline)) CUresult cuStreamSynchronize(void *stream)
{
    switch ((long)stream) {
    case 1:
        for (volatile long i = 0; i < 20000000L; i++) {
        }
        break;
    case 2: {
        struct timespec t = { 0, 5000000L };
        nanosleep(&t, NULL);
        break;
    }
    case 3:
        for (int i = 0; i < 200; i++) {
            sched_yield();
        }
        break;
    default:
        break;
    }
    return 0;
}

__attribute__((noinline)) CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes)
{
    *p = (CUdeviceptr)malloc(bytes);
    return *p ? 0 : 2;
}

__attribute__((noinline)) CUresult cuMemFree_v2(CUdeviceptr p)
{
    free((void *)p);
    return 0;
}
