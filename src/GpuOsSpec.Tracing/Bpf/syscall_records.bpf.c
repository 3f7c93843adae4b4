// SPDX-License-Identifier: GPL-2.0
//
// Full mode's in-kernel half (SyscallRecorder.cs loads it): one record per syscall of the traced threads, entry and
// exit joined in the kernel, in one BPF ring buffer for the machine. The sys_enter program keeps the entry (number,
// arguments, time) in the thread's task storage; the sys_exit program writes the record: both numbers, the arguments,
// the result and both times. PerfCollector reads the records and decides, as it does for perf's sys_enter/sys_exit
// samples, whether the exit belongs to the entry (the same number, or an optimized uprobe's exit with number -1).
//
// Which threads: those the loader names (gos_rec_roots, adopted at their first event) and every thread or process they
// create later, as perf's inherit follows a per-thread event. A per-process map (syscall_counter.bpf.c's tgids) cannot
// say this: in process, the tracer's own control thread shares the traced process and must not be recorded.
//
// A thread is armed when its records count: at once (in process), or from its own exec (a command: the launcher shell
// is named before it execs the command, as perf's enable-on-exec starts there). gos_rec_on switches every program off
// and on, as PERF_EVENT_IOC_DISABLE and ENABLE do.
//
// Nothing is lost silently: a record the ring buffer has no room for, and a thread whose storage could not be made, are
// counted in gos_rec_stats, and the loader counts runs the kernel skipped (recursion_misses); each makes the trace
// inconclusive.
//
// Times are bpf_ktime_get_ns, CLOCK_MONOTONIC (ktime_get_mono_fast_ns): the clock perf's samples use with use_clockid
// CLOCK_MONOTONIC, so these records and the perf events beside them (switches, faults, markers) are on one time line.
//
// Every program is a BTF tracepoint (tp_btf), whose return value the kernel ignores (syscall_counter.bpf.c says why
// that matters for classic ones). GPL because the task storage and ring buffer helpers are GPL-only.

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

// The entry's arguments and the exit's number are read from x86-64's pt_regs, as syscall_get_arguments and
// syscall_get_nr read them for the raw_syscalls tracepoints.
#ifndef __TARGET_ARCH_x86
#error "syscall_records.bpf.c reads x86-64 registers: build it with -D__TARGET_ARCH_x86 on x86-64"
#endif

char LICENSE[] SEC("license") = "GPL";

// gos_rec_record.kind bits: which halves of a call the record holds. SyscallRecorder.cs reads the same numbers.
#define HAS_ENTER 1
#define HAS_EXIT 2

// gos_rec_stats indexes.
#define STAT_LOST 0      // records the ring buffer had no room for
#define STAT_UNTRACKED 1 // threads of the traced tree left unrecorded: their task storage could not be made
#define STAT_UPROBE 2    // uprobe syscalls left unrecorded (below)
#define STAT_URETPROBE 3 // uretprobe syscalls left unrecorded
#define STAT_COUNT 4

// The probes' own ways into the kernel on x86-64 (the only architecture this file builds for): an optimized entry
// probe calls the uprobe syscall, a return probe returns through the uretprobe syscall. Every figure leaves them out
// (TraceBuilder), so they are counted here, per number, rather than recorded: a gpuos marker then costs no record.
#define NR_URETPROBE 335
#define NR_UPROBE 336

// One syscall, as PerfCollector reads it: little-endian, no holes, 96 bytes.
struct gos_rec_record {
    u64 enter_ns; // HAS_ENTER
    u64 exit_ns;  // HAS_EXIT
    s64 ret;      // HAS_EXIT
    u64 args[6];  // HAS_ENTER
    s32 nr;       // HAS_ENTER: the number the call entered with
    s32 exit_nr;  // HAS_EXIT: orig_ax at exit, as the sys_exit tracepoint reports it (-1 after rt_sigreturn and the
                  // uprobe syscall)
    u32 pid;
    u32 tid;
    u32 kind;
    u32 zero;
};

// A traced thread: armed, and the entry it is in, if any.
struct gos_rec_thread {
    u64 enter_ns;
    u64 args[6];
    s32 nr;
    u32 pending;
    u32 armed;
    u32 probe; // in a probe syscall, counted at its entry: its exit writes nothing
};

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct gos_rec_thread);
} gos_rec_threads SEC(".maps");

// Threads the loader names: tid -> its process (tgid) in the high half, and 1 (armed now) or 0 (armed at its exec) in
// the low half. Each is adopted into gos_rec_threads, and removed from here, at its first event; the tgid keeps a
// thread that exited before that, and whose number another process's thread took, from being adopted in its place.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, u32);
    __type(value, u64);
} gos_rec_roots SEC(".maps");

// Key 0: 1 while recording (PERF_EVENT_IOC_ENABLE's counterpart), 0 before and after.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u32);
} gos_rec_on SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, STAT_COUNT);
    __type(key, u32);
    __type(value, u64);
} gos_rec_stats SEC(".maps");

// The loader sizes it (a power of two of pages) before load.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} gos_rec_records SEC(".maps");

static __always_inline void stat(u32 index)
{
    u64 *count = bpf_map_lookup_elem(&gos_rec_stats, &index);
    if (count)
        *count += 1;
}

static __always_inline bool recording(void)
{
    u32 zero = 0;
    u32 *on = bpf_map_lookup_elem(&gos_rec_on, &zero);
    return on && *on;
}

// TASK's record state, or null when it is not traced; a thread the loader named is adopted here.
static __always_inline struct gos_rec_thread *traced(struct task_struct *task)
{
    struct gos_rec_thread *t = bpf_task_storage_get(&gos_rec_threads, task, 0, 0);
    if (t)
        return t;
    u32 tid = task->pid;
    u64 *root = bpf_map_lookup_elem(&gos_rec_roots, &tid);
    if (!root || (u32)(*root >> 32) != (u32)task->tgid)
        return 0;
    u32 armed = (u32)*root;
    t = bpf_task_storage_get(&gos_rec_threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!t) {
        stat(STAT_UNTRACKED);
        return 0;
    }
    t->armed = armed;
    bpf_map_delete_elem(&gos_rec_roots, &tid);
    return t;
}

// Wakes the reader only once the buffer is an eighth full: a wake-up per record would cost more than the record. The
// reader also polls every 10 ms, so a quiet buffer is read all the same.
static __always_inline void submit(struct gos_rec_record *r)
{
    u64 avail = bpf_ringbuf_query(&gos_rec_records, BPF_RB_AVAIL_DATA);
    u64 size = bpf_ringbuf_query(&gos_rec_records, BPF_RB_RING_SIZE);
    bpf_ringbuf_submit(r, avail >= size / 8 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

// An entry whose exit never came: the thread entered another call (its exit was not seen), died in it (exit,
// exit_group, a kill), or was still in it when the capture ended.
static __always_inline void emit_entry(struct gos_rec_thread *t, u32 pid, u32 tid)
{
    t->pending = 0;
    struct gos_rec_record *r = bpf_ringbuf_reserve(&gos_rec_records, sizeof *r, 0);
    if (!r) {
        stat(STAT_LOST);
        return;
    }
    r->enter_ns = t->enter_ns;
    r->exit_ns = 0;
    r->ret = 0;
    for (int i = 0; i < 6; i++)
        r->args[i] = t->args[i];
    r->nr = t->nr;
    r->exit_nr = 0;
    r->pid = pid;
    r->tid = tid;
    r->kind = HAS_ENTER;
    r->zero = 0;
    submit(r);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(gos_rec_enter, struct pt_regs *regs, long id)
{
    if (!recording())
        return 0;
    struct gos_rec_thread *t = traced(bpf_get_current_task_btf());
    if (!t || !t->armed)
        return 0;
    if (t->pending) {
        u64 pid_tgid = bpf_get_current_pid_tgid();
        emit_entry(t, pid_tgid >> 32, (u32)pid_tgid);
    }
    t->probe = id == NR_UPROBE || id == NR_URETPROBE;
    if (t->probe) {
        stat(id == NR_UPROBE ? STAT_UPROBE : STAT_URETPROBE);
        return 0;
    }
    t->enter_ns = bpf_ktime_get_ns();
    t->nr = id;
    t->args[0] = regs->di;
    t->args[1] = regs->si;
    t->args[2] = regs->dx;
    t->args[3] = regs->r10;
    t->args[4] = regs->r8;
    t->args[5] = regs->r9;
    t->pending = 1;
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(gos_rec_exit, struct pt_regs *regs, long ret)
{
    if (!recording())
        return 0;
    struct gos_rec_thread *t = traced(bpf_get_current_task_btf());
    if (!t || !t->armed)
        return 0;
    if (t->probe) {
        t->probe = 0;
        return 0;
    }
    u64 now = bpf_ktime_get_ns();
    struct gos_rec_record *r = bpf_ringbuf_reserve(&gos_rec_records, sizeof *r, 0);
    if (!r) {
        t->pending = 0;
        stat(STAT_LOST);
        return 0;
    }
    u64 pid_tgid = bpf_get_current_pid_tgid();
    r->exit_ns = now;
    r->ret = ret;
    r->exit_nr = regs->orig_ax;
    r->pid = pid_tgid >> 32;
    r->tid = (u32)pid_tgid;
    r->zero = 0;
    if (t->pending) {
        r->kind = HAS_ENTER | HAS_EXIT;
        r->enter_ns = t->enter_ns;
        r->nr = t->nr;
        for (int i = 0; i < 6; i++)
            r->args[i] = t->args[i];
        t->pending = 0;
    } else {
        // The root's execve (entered before it was armed), a new thread's or child's return from clone, an exit
        // after the capture was switched on mid-call.
        r->kind = HAS_EXIT;
        r->enter_ns = 0;
        r->nr = r->exit_nr;
        for (int i = 0; i < 6; i++)
            r->args[i] = 0;
    }
    submit(r);
    return 0;
}

// PARENT is the forking task, current; the child (thread or process) is traced as its parent is, with no entry open.
SEC("tp_btf/sched_process_fork")
int BPF_PROG(gos_rec_fork, struct task_struct *parent, struct task_struct *child)
{
    struct gos_rec_thread *p = traced(parent);
    if (!p)
        return 0;
    u32 armed = p->armed;
    struct gos_rec_thread *c = bpf_task_storage_get(&gos_rec_threads, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!c) {
        stat(STAT_UNTRACKED);
        return 0;
    }
    c->armed = armed;
    c->pending = 0;
    c->probe = 0;
    return 0;
}

// A traced thread that execs is armed: a command's records start with its own exec.
SEC("tp_btf/sched_process_exec")
int BPF_PROG(gos_rec_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    struct gos_rec_thread *t = traced(p);
    if (t)
        t->armed = 1;
    return 0;
}

// P is the exiting thread, current. Its storage goes with it: an entry it is still in (exit, exit_group, or any call a
// kill ended) is written now, as perf's unpaired sys_enter sample would be kept.
SEC("tp_btf/sched_process_exit")
int BPF_PROG(gos_rec_gone, struct task_struct *p, bool group_dead)
{
    struct gos_rec_thread *t = bpf_task_storage_get(&gos_rec_threads, p, 0, 0);
    if (t && t->pending)
        emit_entry(t, p->tgid, p->pid);
    return 0;
}

// Capture end: the entries of threads still alive and still in a call. Run through an iterator link once gos_rec_on is
// 0 and a grace period has passed, so no program changes an entry while this writes it.
SEC("iter/task")
int gos_rec_flush(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;
    if (!task)
        return 0;
    struct gos_rec_thread *t = bpf_task_storage_get(&gos_rec_threads, task, 0, 0);
    if (t && t->pending)
        emit_entry(t, task->tgid, task->pid);
    return 0;
}
