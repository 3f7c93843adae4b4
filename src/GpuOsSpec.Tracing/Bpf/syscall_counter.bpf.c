// SPDX-License-Identifier: GPL-2.0
//
// Hybrid mode's in-kernel half (BpfSyscallCounter.cs loads it), in the manner of bcc's syscount: the sys_enter and
// sys_exit programs count every syscall of the traced process tree per number, and its failures, in a per-CPU array, and
// hand the decode-set calls, with their arguments and results, to per-CPU perf buffers that PerfCollector reads. Two
// more programs follow the tree: fork adds the child, exec arms a process, so the launcher's own syscalls before its
// exec are never counted.
//
// Every program is a BTF tracepoint (tp_btf): it runs straight from the tracepoint with the tracepoint's own arguments,
// where a classic tracepoint program (SEC("tracepoint/...")) runs only after the kernel has built the perf trace record
// it reads. On the 2-core VM that record was most of the cost: 0.37-0.46 us a syscall for a classic program, 0.30-0.32
// for a tp_btf one.
//
// The kernel ignores a tp_btf program's return value (__bpf_trace_run discards it; no perf sample is involved), so these
// return 0. A classic tracepoint program's value is another matter: it is shared by every perf user of the tracepoint,
// and the kernel (perf_trace_run_bpf_submit) drops the sample for all of them when any attached program returns 0. When
// these were classic programs, returning 0 blinded every other capture on the machine, ours in full mode and `perf
// stat` alike: loaded that way, they must return 1.
//
// The license is GPL because bpf_perf_event_output is a GPL-only helper.

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

// The exit's syscall number and the entry's arguments are read from x86-64's pt_regs, as the kernel's syscall_get_nr
// and syscall_get_arguments read them for the raw_syscalls tracepoints: on another architecture these programs would
// read the wrong registers, so the build refuses it.
#ifndef __TARGET_ARCH_x86
#error "syscall_counter.bpf.c reads x86-64 registers: build it with -D__TARGET_ARCH_x86 on x86-64"
#endif

char LICENSE[] SEC("license") = "GPL";

// Syscall numbers at or above this are neither counted nor decoded. The loader reads it back as syscall_flags' size,
// so this is the only place it is written.
#define MAX_SYSCALL 512

// The first field of a record in the perf buffer: which half of a call it is. PerfCollector reads the same numbers.
#define MARKER_ENTER 1
#define MARKER_EXIT 2

// syscall_flags bits, set by the loader after load from the syscall table of the machine.
#define FLAG_DECODE 1    // the call goes to the perf buffer, with its arguments and result
// Counted at entry: exit and exit_group never reach sys_exit, and rt_sigreturn's sys_exit carries no number
// (restore_sigcontext sets orig_ax to -1). Such a call's failures are not counted (a failed rt_sigreturn kills the
// process with SIGSEGV).
#define FLAG_NO_RETURN 2

// Errors are linux's -4095..-1 (the kernel's MAX_ERRNO): any other negative result is a value, such as an mmap address
// with the top bit set.
#define MAX_ERRNO 4095

// The traced process tree: tgid -> armed (1 once the process, or the ancestor it was forked from, has execed). The
// loader adds the root, unarmed, before it execs the command.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, u32);
    __type(value, u32);
} tgids SEC(".maps");

// Per syscall number, FLAG_* bits. An array: the verifier inlines its lookups.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, MAX_SYSCALL);
    __type(key, u32);
    __type(value, u32);
} syscall_flags SEC(".maps");

// Calls of syscall n at key n, failures at key MAX_SYSCALL + n. Per CPU, so no increment races another; the loader
// sums the CPUs when it reads.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2 * MAX_SYSCALL);
    __type(key, u32);
    __type(value, u64);
} counts SEC(".maps");

// One perf event per CPU (PERF_COUNT_SW_BPF_OUTPUT), plugged in by the loader. libbpf sizes it to the possible CPUs.
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(u32));
    __uint(value_size, sizeof(u32));
} events SEC(".maps");

// The records PerfCollector parses: every field 8 bytes, little-endian, in this order.
struct enter_record {
    u64 marker; // MARKER_ENTER
    u64 nr;
    u64 args[6];
};

struct exit_record {
    u64 marker; // MARKER_EXIT
    u64 nr;
    s64 ret;
};

static __always_inline bool armed_process(void)
{
    u32 tgid = bpf_get_current_pid_tgid() >> 32;
    u32 *armed = bpf_map_lookup_elem(&tgids, &tgid);
    return armed && *armed == 1;
}

static __always_inline u32 flags_of(u32 nr)
{
    u32 *flags = bpf_map_lookup_elem(&syscall_flags, &nr);
    return flags ? *flags : 0;
}

static __always_inline void increment(u32 key)
{
    u64 *count = bpf_map_lookup_elem(&counts, &key);
    if (count)
        *count += 1;
}

// ID is the number the call entered with (syscall_get_nr at entry); the arguments are still in REGS, in the registers of
// x86-64's syscall convention.
SEC("tp_btf/sys_enter")
int BPF_PROG(gos_enter, struct pt_regs *regs, long id)
{
    if (!armed_process())
        return 0;
    // Unsigned, so that a negative id (a syscall(-1)) is out of range too.
    u64 nr = id;
    if (nr >= MAX_SYSCALL)
        return 0;
    u32 flags = flags_of(nr);
    if (flags & FLAG_NO_RETURN) {
        increment(nr);
        return 0;
    }
    if (!(flags & FLAG_DECODE))
        return 0;
    struct enter_record record = {
        .marker = MARKER_ENTER,
        .nr = nr,
        .args = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 },
    };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
    return 0;
}

// The number is orig_ax, what the raw_syscalls sys_exit tracepoint reports (syscall_get_nr): -1, out of range here,
// after an rt_sigreturn (counted at entry: FLAG_NO_RETURN) and after the uprobe syscall an optimized uprobe enters by.
SEC("tp_btf/sys_exit")
int BPF_PROG(gos_exit, struct pt_regs *regs, long ret)
{
    if (!armed_process())
        return 0;
    u64 nr = regs->orig_ax;
    if (nr >= MAX_SYSCALL)
        return 0;
    increment(nr);
    if (ret < 0 && ret >= -MAX_ERRNO)
        increment(MAX_SYSCALL + nr);
    if (!(flags_of(nr) & FLAG_DECODE))
        return 0;
    struct exit_record record = { .marker = MARKER_EXIT, .nr = nr, .ret = ret };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
    return 0;
}

// PARENT is the forking task, current. The child inherits its parent's armed state: a child forked before the root's
// exec (none is, but the launcher could) stays unarmed until it execs itself. The key is the child's pid, what the
// sched_process_fork tracepoint reports as child_pid: a new thread's id for a thread, the new tgid for a process.
SEC("tp_btf/sched_process_fork")
int BPF_PROG(gos_fork, struct task_struct *parent, struct task_struct *child)
{
    u32 ptgid = parent->tgid;
    u32 *armed = bpf_map_lookup_elem(&tgids, &ptgid);
    if (!armed)
        return 0;
    u32 cpid = child->pid;
    u32 state = *armed;
    bpf_map_update_elem(&tgids, &cpid, &state, BPF_ANY);
    return 0;
}

// A tracked process that execs is armed: counting starts with the command's own exec, as the perf events'
// enable-on-exec does. P is the execing task, current.
SEC("tp_btf/sched_process_exec")
int BPF_PROG(gos_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    u32 tgid = p->tgid;
    u32 *armed = bpf_map_lookup_elem(&tgids, &tgid);
    if (armed)
        *armed = 1;
    return 0;
}
