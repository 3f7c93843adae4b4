/* foreign-markers SCENARIO: sends marker records to gpuos_probe_marker itself, as an older or foreign library might,
 * with names the current libgpuos refuses. Links against libgpuos (for the probed function only).
 *   bad:   three records that are no gpuos marker (another magic, kind 9, class 7), then phase "ok" (1 getppid).
 *   names: phases "a/b" (one name), "a" > "b" (nested), "\xff" and "\xfe" (invalid UTF-8, 1 getppid each),
 *          "line\nbreak" and a 63-byte name cut inside a UTF-8 character; the thread renames itself "evil\nthread".
 *   fork:  opens "outer" > "work", forks; the child ends "work" on its own tid and closes "outer" as abandoned at its
 *          exit (what libgpuos did before its fork handler); the parent waits and ends both. */
#include "gpuos.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t seq;

static void send_raw(uint32_t magic, int kind, uint32_t cls, const char *name, int depth)
{
    gpuos_marker m;
    memset(&m, 0, sizeof m);
    m.magic = magic;
    m.version = 1;
    m.kind = (uint16_t)kind;
    m.cls = cls;
    m.depth = (uint32_t)depth;
    m.seq = ++seq;
    strncpy(m.name, name, sizeof m.name - 1);
    gpuos_probe_marker(&m);
}

static void send(int kind, const char *name, int depth)
{
    send_raw(GPUOS_MARKER_MAGIC, kind, GPUOS_CLASS_LATENCY, name, depth);
}

static void phase(const char *name, int syscalls)
{
    send(GPUOS_MARK_BEGIN, name, 1);
    for (int i = 0; i < syscalls; i++) {
        getppid();
    }
    send(GPUOS_MARK_END, name, 1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {
        send(GPUOS_MARK_BEGIN, "outer", 1);
        send(GPUOS_MARK_BEGIN, "work", 2);
        pid_t pid = fork();
        if (pid == 0) {
            send(GPUOS_MARK_END, "work", 2);
            send(GPUOS_MARK_ABANDONED, "outer", 1);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        send(GPUOS_MARK_END, "work", 2);
        send(GPUOS_MARK_END, "outer", 1);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "bad") == 0) {
        send_raw(GPUOS_MARKER_MAGIC ^ 1, GPUOS_MARK_BEGIN, GPUOS_CLASS_LATENCY, "magic", 1);
        send_raw(GPUOS_MARKER_MAGIC, 9, GPUOS_CLASS_LATENCY, "kind", 1);
        send_raw(GPUOS_MARKER_MAGIC, GPUOS_MARK_BEGIN, 7, "class", 1);
        phase("ok", 1);
        return 0;
    }
    prctl(PR_SET_NAME, "evil\nthread", 0, 0, 0);
    phase("a/b", 0);
    send(GPUOS_MARK_BEGIN, "a", 1);
    phase("b", 0);
    send(GPUOS_MARK_END, "a", 1);
    phase("\xff", 1);
    phase("\xfe", 1);
    phase("line\nbreak", 0);
    char cut[64];
    memset(cut, 'x', 62);
    cut[62] = (char)0xc3; /* the first byte of "é", cut where an older libgpuos cut names */
    cut[63] = 0;
    phase(cut, 0);
    return 0;
}
