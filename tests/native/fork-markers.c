/* fork-markers: opens phase "work", forks; the child (as code inside a `with phase` block would) tries to end "work",
 * opens and ends "child" (1 getppid) and exits; the parent waits, makes 2 getppid and ends "work", and exits 3 if the
 * child did not exit 0 (a child killed at its first marker must fail the run, not vanish from it). Links against
 * libgpuos. */
#include "gpuos.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    gpuos_phase_begin("work", GPUOS_CLASS_LATENCY);
    pid_t pid = fork();
    if (pid == 0) {
        gpuos_phase_end("work");
        gpuos_phase_begin("child", GPUOS_CLASS_LATENCY);
        getppid();
        gpuos_phase_end("child");
        exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    getppid();
    getppid();
    gpuos_phase_end("work");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "fork-markers: the forked child %s %d\n", WIFSIGNALED(status) ? "was killed by signal" : "exited with",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        return 3;
    }
    return 0;
}
