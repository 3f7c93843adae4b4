/* fork-markers: opens phase "work", forks; the child (as code inside a `with phase` block would) tries to end "work",
 * opens and ends "child" (1 getppid) and exits; the parent waits, makes 2 getppid and ends "work". Links against
 * libgpuos. */
#include "gpuos.h"
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
    waitpid(pid, NULL, 0);
    getppid();
    getppid();
    gpuos_phase_end("work");
    return 0;
}
