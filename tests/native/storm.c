/* storm: N getppid syscalls on T threads created after start (T = 0: on the main thread).
 * Used by the tests and by `gpuosspec bench overhead`.  Usage: storm N [T] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long per_thread;

static void *run(void *arg)
{
    (void)arg;
    for (long i = 0; i < per_thread; i++)
        syscall(SYS_getppid);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: storm N [THREADS]\n");
        return 2;
    }
    long n = atol(argv[1]);
    int threads = argc > 2 ? atoi(argv[2]) : 0;
    if (threads <= 0) {
        per_thread = n;
        run(NULL);
        return 0;
    }
    if (threads > 256 || n % threads != 0) {
        fprintf(stderr, "storm: THREADS must be 1..256 and divide N\n");
        return 2;
    }
    per_thread = n / threads;
    pthread_t t[256];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    return 0;
}
