/* phases-prog MODE: gpuos phases with known figures, for tests/native/phases.sh (run under phases-loader).
 *   storm N   phase "storm" holding N/2 begin/end pairs of "tick" (N markers) and no syscall
 *   known N   phase "known" holding N getppid
 *   repeat    three runs of phase "step", run i holding i getppid
 *   fork      phase "work" open across a fork; the child marks "child" (3 getppid) and exits; the parent waits, then
 *             2 getppid and ends "work"
 *   rawfork   3 markers ("pre"), then a fork through the raw syscall (no atfork handler runs: what _Fork or a runtime's
 *             own clone does); the child makes 2 instant markers ("raw") and exits 0; 5 markers in all
 *   exec      phase "pre" (2 getppid); "carried" left open across an exec of itself, whose new image marks "post"
 *             (4 getppid)
 *   exitexec  a thread begins "left" and ends with a raw exit, the phase still open; then an exec of itself, whose
 *             new image marks "post" (4 getppid)
 *   thread    phase "main": a thread that never marks makes 5 getppid; joined, then 1 getppid on the main thread
 *   linger    a child marks "linger" (7 getppid) and is still alive, its phase open, when the parent exits: what a
 *             capture's end must still collect from a live thread
 *   killed    phase "k" open while a thread blocks in pause and the main thread calls exit_group: one exit_group, no
 *             exit, and the killed thread's pause returns an error (it is counted at its exit, as the kill
 *             interrupts it)
 *   signal    phase "sig": 3 signals to itself, each handled by a handler that marks phase "handler" last (3
 *             rt_sigreturn in "sig"), and 1 getppid
 *   straddle  a thread that never marks blocks in read on a pipe before phase "straddle" begins (the main thread waits
 *             until /proc shows it in read); inside the phase the main thread writes a byte, which ends that read,
 *             and joins the thread: one read that entered before the phase and returned inside it
 *   race N    phase "outer" holding N runs each of "a" and "b", back to back, while a thread that never marks sleeps
 *             1 ns at a time until they are done: its switches fall at every boundary of a and b, on the other CPU
 * Links against libgpuos. */
#include "gpuos.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void getppids(int n)
{
    for (int i = 0; i < n; i++) {
        syscall(SYS_getppid);
    }
}

static void on_signal(int sig)
{
    (void)sig;
    /* A marker as the handler's last act: the rt_sigreturn right after it must still count as one. */
    gpuos_phase_begin("handler", GPUOS_CLASS_INHERIT);
    gpuos_phase_end("handler");
}

static void *pauser(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

static volatile long s_reader_tid;

static void *blocked_reader(void *arg)
{
    int fd = *(int *)arg;
    char c;
    s_reader_tid = syscall(SYS_gettid);
    if (read(fd, &c, 1) != 1) {
        return (void *)1;
    }
    return NULL;
}

/* True when thread TID is inside syscall NR (the first field of /proc/self/task/TID/syscall). */
static int in_syscall(long tid, long nr)
{
    char path[64];
    long current = -2;
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", tid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%ld", &current) != 1) {
            current = -2;
        }
        fclose(f);
    }
    return current == nr;
}

static volatile int s_race_done;

static void *napper(void *arg)
{
    (void)arg;
    struct timespec ns = {0, 1};
    while (!s_race_done) {
        nanosleep(&ns, NULL);
    }
    return NULL;
}

/* Some work between two markers, so that a run lasts a few microseconds. */
static void spin(int n)
{
    for (volatile int i = 0; i < n; i++) {
    }
}

/* Begins "left" and ends its thread with a raw exit: no thread-exit handler of the library runs, so the phase stays
 * open (as a thread killed inside it leaves it). */
static void *leaves_open(void *arg)
{
    (void)arg;
    gpuos_phase_begin("left", GPUOS_CLASS_INHERIT);
    syscall(SYS_exit, 0);
    return NULL;
}

static void *unmarked(void *arg)
{
    (void)arg;
    getppids(5);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "storm")) {
        long n = argc > 2 ? atol(argv[2]) : 100000;
        gpuos_phase_begin("storm", GPUOS_CLASS_INHERIT);
        for (long i = 0; i < n / 2; i++) {
            gpuos_phase_begin("tick", GPUOS_CLASS_INHERIT);
            gpuos_phase_end("tick");
        }
        gpuos_phase_end("storm");
    } else if (!strcmp(mode, "repeat")) {
        /* Three runs of one phase: run i makes i getppid calls, so each run's figure is known apart. */
        for (int i = 1; i <= 3; i++) {
            gpuos_phase_begin("step", GPUOS_CLASS_INHERIT);
            getppids(i);
            gpuos_phase_end("step");
        }
    } else if (!strcmp(mode, "known")) {
        int n = argc > 2 ? atoi(argv[2]) : 1000;
        gpuos_phase_begin("known", GPUOS_CLASS_INHERIT);
        getppids(n);
        gpuos_phase_end("known");
    } else if (!strcmp(mode, "fork")) {
        gpuos_phase_begin("work", GPUOS_CLASS_INHERIT);
        pid_t pid = fork();
        if (pid == 0) {
            gpuos_phase_begin("child", GPUOS_CLASS_INHERIT);
            getppids(3);
            gpuos_phase_end("child");
            exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        getppids(2);
        gpuos_phase_end("work");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "phases-prog: the forked child %s %d\n", WIFSIGNALED(status) ? "was killed by signal" : "exited with",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            return 3;
        }
    } else if (!strcmp(mode, "rawfork")) {
        for (int i = 0; i < 3; i++) {
            gpuos_mark("pre");
        }
        pid_t pid = (pid_t)syscall(SYS_fork);
        if (pid == 0) {
            gpuos_mark("raw");
            gpuos_mark("raw");
            syscall(SYS_exit_group, 0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "phases-prog: the raw-forked child %s %d\n", WIFSIGNALED(status) ? "was killed by signal" : "exited with",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            return 3;
        }
    } else if (!strcmp(mode, "exec")) {
        gpuos_phase_begin("pre", GPUOS_CLASS_INHERIT);
        getppids(2);
        gpuos_phase_end("pre");
        gpuos_phase_begin("carried", GPUOS_CLASS_INHERIT);
        execl("/proc/self/exe", argv[0], "exec2", (char *)NULL);
        perror("exec");
        return 1;
    } else if (!strcmp(mode, "exitexec")) {
        /* A thread that ended with "left" open, then the process's exec: the exec closes "left" too. */
        pthread_t t;
        pthread_create(&t, NULL, leaves_open, NULL);
        pthread_join(t, NULL);
        execl("/proc/self/exe", argv[0], "exec2", (char *)NULL);
        perror("exec");
        return 1;
    } else if (!strcmp(mode, "exec2")) {
        gpuos_phase_begin("post", GPUOS_CLASS_INHERIT);
        getppids(4);
        gpuos_phase_end("post");
    } else if (!strcmp(mode, "thread")) {
        gpuos_phase_begin("main", GPUOS_CLASS_INHERIT);
        pthread_t t;
        pthread_create(&t, NULL, unmarked, NULL);
        pthread_join(t, NULL);
        getppids(1);
        gpuos_phase_end("main");
    } else if (!strcmp(mode, "linger")) {
        int ready[2];
        if (pipe(ready) != 0) {
            return 1;
        }
        if (fork() == 0) {
            gpuos_phase_begin("linger", GPUOS_CLASS_INHERIT);
            getppids(7);
            if (write(ready[1], "r", 1) != 1) {
                _exit(1);
            }
            sleep(3);
            _exit(0);
        }
        char c;
        if (read(ready[0], &c, 1) != 1) {
            return 1;
        }
    } else if (!strcmp(mode, "killed")) {
        gpuos_phase_begin("k", GPUOS_CLASS_INHERIT);
        pthread_t t;
        pthread_create(&t, NULL, pauser, NULL);
        /* Until the thread is in pause: its state in /proc turns to S. */
        char path[300], state = 0;
        for (int i = 0; i < 1000 && state != 'S'; i++) {
            usleep(1000);
            DIR *d = opendir("/proc/self/task");
            struct dirent *e;
            while (d && (e = readdir(d))) {
                if (e->d_name[0] != '.' && atol(e->d_name) != getpid()) {
                    snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
                    FILE *f = fopen(path, "r");
                    if (f && fscanf(f, "%*d (%*[^)]) %c", &state) != 1) {
                        state = 0;
                    }
                    if (f) {
                        fclose(f);
                    }
                }
            }
            if (d) {
                closedir(d);
            }
        }
        syscall(SYS_exit_group, 0);
    } else if (!strcmp(mode, "signal")) {
        signal(SIGUSR1, on_signal);
        gpuos_phase_begin("sig", GPUOS_CLASS_INHERIT);
        for (int i = 0; i < 3; i++) {
            raise(SIGUSR1);
        }
        getppids(1);
        gpuos_phase_end("sig");
    } else if (!strcmp(mode, "race")) {
        int n = argc > 2 ? atoi(argv[2]) : 10000;
        pthread_t t;
        pthread_create(&t, NULL, napper, NULL);
        gpuos_phase_begin("outer", GPUOS_CLASS_INHERIT);
        for (int i = 0; i < n; i++) {
            gpuos_phase_begin("a", GPUOS_CLASS_INHERIT);
            spin(2000);
            gpuos_phase_end("a");
            gpuos_phase_begin("b", GPUOS_CLASS_INHERIT);
            spin(2000);
            gpuos_phase_end("b");
        }
        gpuos_phase_end("outer");
        s_race_done = 1;
        pthread_join(t, NULL);
    } else if (!strcmp(mode, "straddle")) {
        int fds[2];
        if (pipe(fds) != 0) {
            return 1;
        }
        pthread_t t;
        pthread_create(&t, NULL, blocked_reader, &fds[0]);
        for (int i = 0; i < 10000 && !(s_reader_tid && in_syscall(s_reader_tid, SYS_read)); i++) {
            usleep(1000);
        }
        if (!s_reader_tid || !in_syscall(s_reader_tid, SYS_read)) {
            fprintf(stderr, "phases-prog: the reader thread never blocked in read\n");
            return 3;
        }
        gpuos_phase_begin("straddle", GPUOS_CLASS_INHERIT);
        if (write(fds[1], "x", 1) != 1) {
            return 1;
        }
        void *failed = NULL;
        pthread_join(t, &failed);
        gpuos_phase_end("straddle");
        if (failed) {
            return 4;
        }
    } else {
        fprintf(stderr, "usage: phases-prog storm [N] | known [N] | repeat | fork | exec | exitexec | thread | signal | straddle | rawfork | race [N]\n");
        return 2;
    }
    return 0;
}
