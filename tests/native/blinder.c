/* blinder: a foreign eBPF user that blinds every perf user of raw_syscalls, as GpuOsSpec's own counter did before
 * its programs returned 1. It attaches a two-instruction program (r0 = 0; exit) to raw_syscalls:sys_enter and
 * sys_exit; the kernel then drops those tracepoints' samples for everyone. It prints "ready" once attached and holds
 * the programs until it is killed.  Usage: blinder TRACEFS_ROOT   (needs root or CAP_BPF + CAP_PERFMON) */
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int load_return_zero(void)
{
    struct bpf_insn prog[2];
    memset(prog, 0, sizeof prog);
    prog[0].code = BPF_ALU64 | BPF_MOV | BPF_K; /* r0 = 0 */
    prog[0].dst_reg = 0;
    prog[0].imm = 0;
    prog[1].code = BPF_JMP | BPF_EXIT;
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_TRACEPOINT;
    attr.insn_cnt = 2;
    attr.insns = (unsigned long)prog;
    attr.license = (unsigned long)"GPL";
    return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
}

static int attach(const char *tracefs, const char *event, int prog)
{
    char path[512];
    snprintf(path, sizeof path, "%s/events/raw_syscalls/%s/id", tracefs, event);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    long id = -1;
    if (fscanf(f, "%ld", &id) != 1) {
        fclose(f);
        return -1;
    }
    fclose(f);
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = (unsigned long long)id;
    int fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0);
    if (fd < 0 || ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) != 0 || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) != 0) {
        perror("perf_event_open/SET_BPF");
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: blinder TRACEFS_ROOT\n");
        return 2;
    }
    int prog = load_return_zero();
    if (prog < 0) {
        perror("bpf(BPF_PROG_LOAD)");
        return 1;
    }
    if (attach(argv[1], "sys_enter", prog) < 0 || attach(argv[1], "sys_exit", prog) < 0)
        return 1;
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
