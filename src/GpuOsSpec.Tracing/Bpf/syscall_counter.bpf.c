// SPDX-License-Identifier: GPL-2.0
//
// Hybrid mode's in-kernel half (BpfSyscallCounter.cs loads it), in the manner of bcc's syscount: the sys_enter and
// sys_exit programs count every syscall of the traced process tree per number, and its failures, in a per-CPU array, and
// hand the decode-set calls, with their arguments and results, to per-CPU perf buffers that PerfCollector reads. Three
// more programs follow the tree: fork adds the child, exec arms a process, so the launcher's own syscalls before its
// exec are never counted, and a process's last exit drops it. When the gpuos markers are read, phases.bpf.c's sys_enter
// and sys_exit programs count in these two's stead (hybrid_counts.h), so each syscall runs one program at each end.
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

// syscall_flags, counts, events, their records, hybrid_count_enter and hybrid_count_exit: shared with phases.bpf.c,
// whose sys_enter and sys_exit programs count for these when the gpuos markers are read.
#include "hybrid_counts.h"

// The traced process tree: tgid -> armed (1 once the process, or the ancestor it was forked from, has execed). The
// loader adds the root, unarmed, before it execs the command; a process leaves it when its last thread exits.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, u32);
    __type(value, u32);
} tgids SEC(".maps");

// What the loader must know before trusting the counts (per CPU, summed when read). Key 0: processes of the traced
// tree that could not be followed because tgids was full; their syscalls were never counted.
#define STAT_UNTRACKED 0
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} counter_stats SEC(".maps");

static __always_inline bool armed_process(void)
{
    u32 tgid = bpf_get_current_pid_tgid() >> 32;
    u32 *armed = bpf_map_lookup_elem(&tgids, &tgid);
    return armed && *armed == 1;
}

// ID is the number the call entered with (syscall_get_nr at entry); the arguments are still in REGS, in the registers of
// x86-64's syscall convention. Not attached when phases.bpf.c's sys_enter program runs: that one counts for both.
SEC("tp_btf/sys_enter")
int BPF_PROG(gos_enter, struct pt_regs *regs, long id)
{
    // Unsigned, so that a negative id (a syscall(-1)) is out of range too.
    u64 nr = id;
    if (nr >= MAX_SYSCALL)
        return 0;
    // The number's flags first: an array lookup the verifier inlines. Most calls are neither decoded nor counted here,
    // and they leave before the process lookup, a helper call and a hash lookup that every task on the machine would
    // otherwise pay at every syscall.
    u32 flags = hybrid_flags_of(nr);
    if (!flags || !armed_process())
        return 0;
    hybrid_count_enter(ctx, regs, nr, flags);
    return 0;
}

// Each CPU's last sys_exit: whose it was and whether its process was armed then, so that a task's next exit on the CPU
// needs neither a helper call nor a hash lookup, only this array (which the verifier inlines) and tree_epoch. The task
// is known by its pt_regs address, the tracepoint's first argument (one per task, at the top of its kernel stack), which
// a new task may reuse once the old one is gone: tree_epoch, bumped by every fork, exec and exit in the traced tree,
// makes every CPU look again then, and whenever a process's armed state changes.
struct cpu_owner {
    u64 regs;  // the owner's pt_regs address, 0: none
    u64 epoch; // tree_epoch when it was looked up
    u32 armed;
    u32 pad;
};
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct cpu_owner);
} owners SEC(".maps");

u64 tree_epoch;

static __always_inline void bump_epoch(void)
{
    __sync_fetch_and_add(&tree_epoch, 1);
}

// The number is orig_ax, what the raw_syscalls sys_exit tracepoint reports (syscall_get_nr): -1, out of range here,
// after an rt_sigreturn (counted at entry: FLAG_NO_RETURN) and after the uprobe syscall an optimized uprobe enters by.
// Not attached when phases.bpf.c's sys_exit program runs: that one counts for both (hybrid_counts.h). The syscall
// tracepoints run their BPF programs with preemption off, so no other task's exit changes this CPU's owner meanwhile.
SEC("tp_btf/sys_exit")
int BPF_PROG(gos_exit, struct pt_regs *regs, long ret)
{
    u32 zero = 0;
    struct cpu_owner *owner = bpf_map_lookup_elem(&owners, &zero);
    if (!owner)
        return 0;
    // The epoch is read before the process's state, so a change after it makes the next exit look again.
    u64 epoch = *(volatile u64 *)&tree_epoch;
    if (owner->regs != (u64)regs || owner->epoch != epoch) {
        owner->regs = (u64)regs;
        owner->epoch = epoch;
        owner->armed = armed_process();
    }
    if (!owner->armed)
        return 0;
    hybrid_count_exit(ctx, regs->orig_ax, ret);
    return 0;
}

// PARENT is the forking task, current. The child inherits its parent's armed state: a child forked before the root's
// exec (none is, but the launcher could) stays unarmed until it execs itself. Only a new process is added (its pid is
// its tgid); a new thread is already followed by its process's entry. A process that cannot be added (tgids full) is
// counted in counter_stats, so that its uncounted syscalls make the capture inconclusive.
SEC("tp_btf/sched_process_fork")
int BPF_PROG(gos_fork, struct task_struct *parent, struct task_struct *child)
{
    u32 ptgid = parent->tgid;
    u32 *armed = bpf_map_lookup_elem(&tgids, &ptgid);
    if (!armed)
        return 0;
    // The child, thread or process, may reuse the stack of a task some CPU's owner knows as not armed.
    bump_epoch();
    u32 cpid = child->pid;
    if (cpid != child->tgid)
        return 0;
    u32 state = *armed;
    if (bpf_map_update_elem(&tgids, &cpid, &state, BPF_ANY) != 0) {
        u32 key = STAT_UNTRACKED;
        u64 *untracked = bpf_map_lookup_elem(&counter_stats, &key);
        if (untracked)
            *untracked += 1;
    }
    return 0;
}

// A followed thread's exit bumps the epoch (a new task may reuse its stack, and with it its pt_regs address), and a
// followed process leaves tgids when its last thread exits (GROUP_DEAD), so that a long run's processes do not fill it.
// Every thread of the process has passed its last sys_exit by then (a killed thread's interrupted call ends before the
// signal is handled).
SEC("tp_btf/sched_process_exit")
int BPF_PROG(gos_process_exit, struct task_struct *p, bool group_dead)
{
    u32 tgid = p->tgid;
    if (!bpf_map_lookup_elem(&tgids, &tgid))
        return 0;
    bump_epoch();
    if (group_dead)
        bpf_map_delete_elem(&tgids, &tgid);
    return 0;
}

// A tracked process that execs is armed: counting starts with the command's own exec, as the perf events'
// enable-on-exec does. P is the execing task, current.
SEC("tp_btf/sched_process_exec")
int BPF_PROG(gos_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    u32 tgid = p->tgid;
    u32 *armed = bpf_map_lookup_elem(&tgids, &tgid);
    if (armed) {
        *armed = 1;
        bump_epoch();
    }
    return 0;
}
