/* api-witness MODE ...: calls the libcuda.so.1 stand-in (tests/native/fake-cuda.c, found through LD_LIBRARY_PATH) and
 * says whether its cuLaunchKernel carries a uprobe in a process: a probe installed in a process's memory is the int3
 * breakpoint (0xcc) written over the function's first byte there, which is what makes a call trap. Without it, no call
 * in that process can trap: a timing-free witness.
 *   wait:           loads the library, prints "ready", and waits for stdin to close (the foreign process).
 *   tree N FOREIGN: prints "self 0xNN" (its own first byte) and "foreign 0xNN" (process FOREIGN's), starts and
 *                   joins a thread, makes N launches with one getppid each, forks a child that prints "child 0xNN",
 *                   makes N launches and execs "api-witness exec N", waits for it to exit, and makes N more: 4N
 *                   launches in the traced tree, N in a forked child, N in an exec'd image and N after a thread and a
 *                   child process ended.
 *   exec N:         prints "exec 0xNN" and makes N launches. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*launch_fn)(void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void *, void **,
                         void **);

static launch_fn launch;

static void load(void)
{
    void *lib = dlopen("libcuda.so.1", RTLD_NOW);
    launch = lib ? (launch_fn)dlsym(lib, "cuLaunchKernel") : NULL;
    if (!launch) {
        fprintf(stderr, "api-witness: no cuLaunchKernel in libcuda.so.1 (%s)\n", dlerror());
        exit(2);
    }
}

static void launches(long n)
{
    for (long i = 0; i < n; i++) {
        launch(NULL, 2, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL); /* grid 2: one getppid */
    }
}

static void *nothing(void *arg)
{
    return arg;
}

static void own(const char *who)
{
    printf("%s 0x%02x\n", who, *(volatile unsigned char *)launch);
    fflush(stdout);
}

/* The first byte of cuLaunchKernel in process PID: the library's base there (its mapping at file offset 0) plus the
 * function's distance from the base here. */
static int foreign(int pid)
{
    Dl_info info;
    if (!dladdr((void *)launch, &info)) {
        return -1;
    }
    unsigned long offset = (unsigned long)launch - (unsigned long)info.dli_fbase;
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    if (!maps) {
        return -1;
    }
    unsigned long base = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, file_offset;
        char name[256] = "";
        if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %255s", &start, &file_offset, name) == 3 && file_offset == 0
            && strstr(name, "/libcuda.so.1")) {
            base = start;
            break;
        }
    }
    fclose(maps);
    if (!base) {
        return -1;
    }
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDONLY);
    unsigned char byte;
    int ok = fd >= 0 && pread(fd, &byte, 1, (off_t)(base + offset)) == 1;
    if (fd >= 0) {
        close(fd);
    }
    return ok ? byte : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: api-witness wait | tree N FOREIGN_PID | exec N\n");
        return 2;
    }
    load();
    if (strcmp(argv[1], "wait") == 0) {
        printf("ready\n");
        fflush(stdout);
        char buffer[64];
        while (read(0, buffer, sizeof buffer) > 0) {
        }
        return 0;
    }
    long n = argc > 2 ? atol(argv[2]) : 0;
    if (strcmp(argv[1], "exec") == 0) {
        own("exec");
        launches(n);
        return 0;
    }
    if (strcmp(argv[1], "tree") != 0 || argc < 4) {
        return 2;
    }
    own("self");
    int theirs = foreign(atoi(argv[3]));
    if (theirs < 0) {
        fprintf(stderr, "api-witness: could not read cuLaunchKernel in process %s\n", argv[3]);
        return 2;
    }
    printf("foreign 0x%02x\n", theirs);
    fflush(stdout);
    pthread_t thread;
    pthread_create(&thread, NULL, nothing, NULL);
    pthread_join(thread, NULL);
    launches(n);
    pid_t child = fork();
    if (child == 0) {
        own("child");
        launches(n);
        execl("/proc/self/exe", argv[0], "exec", argv[2], (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    launches(n);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
