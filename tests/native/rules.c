/* rules ACTION [STEPS]: a program that keeps or breaks one of gpuosspec check's rules in a steady phase. A phase
 * "setup" does once what steady phases must not (opens a file, maps memory, starts a thread, makes an ioctl), then
 * STEPS (default 5) gpuos phases "steady" each do ACTION, then "teardown". The actions:
 *   keep        1 ms of arithmetic and nothing else
 *   ioctl       an ioctl (TCGETS on /dev/null)          mmap     an mmap and munmap of 1 MiB
 *   open        an open and close of /dev/null           thread   a thread started and joined
 *   faults      1,024 pages dropped (madvise) and touched again
 *   yield       2,000 sched_yield                        switch   2,000 sched_yield against a thread on the same CPU
 *   gpu         20 launches in user space and a parked 5 ms wait, memory allocated in setup (libcuda.so.1)
 *   launch-syscall  20 launches that each make a syscall   churn    an allocation and a free of 1 MiB
 *   nest        one launch that calls itself 3 deep (4 nested calls), the innermost making one syscall
 *   nest-deep   the same 20 deep (21 nested calls)
 *   wait-spin   a wait that spins 20 million steps       wait-yield  a wait that calls sched_yield 200 times
 *   fsync       a byte written to a file opened in setup, and an fsync
 * The gpu actions load libcuda.so.1 (tests/native/fake-cuda.c on a machine without a GPU). Links against libgpuos. */
#define _GNU_SOURCE
#include "gpuos.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#define REGION (4u << 20)

typedef int (*launch_fn)(void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void *, void **, void **);
typedef int (*sync_fn)(void *);
typedef int (*alloc_fn)(unsigned long long *, size_t);
typedef int (*free_fn)(unsigned long long);

static launch_fn launch;
static sync_fn sync_stream;
static alloc_fn mem_alloc;
static free_fn mem_free;
static volatile int stop;

static void *noop(void *arg)
{
    return arg;
}

static void pin_to_cpu0(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

static void *yielder(void *arg)
{
    pin_to_cpu0();
    while (!stop) {
        sched_yield();
    }
    return arg;
}

static void compute(void)
{
    volatile uint64_t x = 1;
    for (long i = 0; i < 300000; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
    }
}

static int load_cuda(void)
{
    void *lib = dlopen("libcuda.so.1", RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "rules: cannot load libcuda.so.1: %s\n", dlerror());
        return 0;
    }
    launch = (launch_fn)dlsym(lib, "cuLaunchKernel");
    sync_stream = (sync_fn)dlsym(lib, "cuStreamSynchronize");
    mem_alloc = (alloc_fn)dlsym(lib, "cuMemAlloc_v2");
    mem_free = (free_fn)dlsym(lib, "cuMemFree_v2");
    return launch && sync_stream && mem_alloc && mem_free;
}

int main(int argc, char **argv)
{
    const char *action = argc > 1 ? argv[1] : "keep";
    int steps = argc > 2 ? atoi(argv[2]) : 5;
    int gpu = strcmp(action, "gpu") == 0 || strcmp(action, "launch-syscall") == 0 || strcmp(action, "churn") == 0
        || strncmp(action, "nest", 4) == 0
        || strncmp(action, "wait-", 5) == 0;
    if (gpu && !load_cuda()) {
        return 2;
    }
    struct termios tio;
    unsigned long long pool = 0;
    pthread_t helper;

    gpuos_phase_begin("setup", GPUOS_CLASS_INHERIT);
    int null_fd = open("/dev/null", O_RDWR);
    ioctl(null_fd, TCGETS, &tio);
    char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(region, 1, REGION);
    pthread_t t;
    pthread_create(&t, NULL, noop, NULL);
    pthread_join(t, NULL);
    if (strcmp(action, "switch") == 0) {
        pin_to_cpu0();
        pthread_create(&helper, NULL, yielder, NULL);
    }
    if (gpu) {
        mem_alloc(&pool, 1 << 20);
    }
    char scratch[] = "/tmp/gpuosspec-rules-XXXXXX";
    int file_fd = strcmp(action, "fsync") == 0 ? mkstemp(scratch) : -1;
    gpuos_phase_end("setup");

    for (int s = 0; s < steps; s++) {
        gpuos_phase_begin("steady", GPUOS_CLASS_INHERIT);
        compute();
        if (strcmp(action, "ioctl") == 0) {
            ioctl(null_fd, TCGETS, &tio);
        } else if (strcmp(action, "mmap") == 0) {
            void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            munmap(p, 1 << 20);
        } else if (strcmp(action, "open") == 0) {
            close(open("/dev/null", O_RDONLY));
        } else if (strcmp(action, "thread") == 0) {
            pthread_create(&t, NULL, noop, NULL);
            pthread_join(t, NULL);
        } else if (strcmp(action, "faults") == 0) {
            madvise(region, REGION, MADV_DONTNEED);
            for (size_t i = 0; i < REGION; i += 4096) {
                region[i] = 2;
            }
        } else if (strcmp(action, "yield") == 0 || strcmp(action, "switch") == 0) {
            for (int i = 0; i < 2000; i++) {
                sched_yield();
            }
        } else if (gpu) {
            if (strncmp(action, "nest", 4) == 0) {
                launch(NULL, strcmp(action, "nest") == 0 ? 103 : 120, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
            } else {
                unsigned grid = strcmp(action, "launch-syscall") == 0 ? 2 : 1;
                for (int i = 0; i < 20; i++) {
                    launch(NULL, grid, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
                }
            }
            long wait = strcmp(action, "wait-spin") == 0 ? 1 : strcmp(action, "wait-yield") == 0 ? 3 : 2;
            sync_stream((void *)wait);
            if (strcmp(action, "churn") == 0) {
                unsigned long long p = 0;
                mem_alloc(&p, 1 << 20);
                mem_free(p);
            }
        } else if (strcmp(action, "fsync") == 0) {
            if (write(file_fd, "x", 1) != 1) {
                return 3;
            }
            fsync(file_fd);
        } else if (strcmp(action, "keep") != 0) {
            fprintf(stderr, "rules: unknown action %s\n", action);
            return 2;
        }
        gpuos_phase_end("steady");
    }

    gpuos_phase_begin("teardown", GPUOS_CLASS_INHERIT);
    if (strcmp(action, "switch") == 0) {
        stop = 1;
        pthread_join(helper, NULL);
    }
    if (gpu) {
        mem_free(pool);
    }
    munmap(region, REGION);
    close(null_fd);
    if (file_fd >= 0) {
        close(file_fd);
        unlink(scratch);
    }
    gpuos_phase_end("teardown");
    return 0;
}
