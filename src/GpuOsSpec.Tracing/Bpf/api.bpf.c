// SPDX-License-Identifier: GPL-2.0
/*
 * Per-API attribution counted in the kernel (issue 21): the entry and return uprobes of the probed API functions keep
 * each thread's stack of open calls in task storage, and the syscall, sched_switch and page-fault tracepoints add to
 * the thread's innermost open call. At its return a call becomes one api_calls record (function, thread, entry and
 * return time, its counts): the timeline keeps each call's span, and nothing is joined in user space.
 *
 * - api_tgids follows the traced tree as phases.bpf.c's gos_tgids does: the reader adds the root (0: tracked, 1:
 *   armed now), its exec arms it, a fork copies the parent's state. The entry and return programs ride the perf events
 *   of tracefs uprobes that the reader opens on the traced threads with inherit: the kernel installs a probe only in
 *   processes those events follow (forked children inherit them, an exec keeps them), so no other process traps on
 *   the library. A program on one of a probe's events runs for every hit any of its events lets through.
 * - The function is the probe's bpf cookie (its index in the reader's list): one entry and one return program serve
 *   every probed function.
 * - A thread gets storage at its first probed entry; every other task costs the tracepoint programs one NULL test.
 * - Syscalls are counted at sys_enter, as ApiAttribution placed them (by entry time); the probes' own uprobe and
 *   uretprobe syscalls are left out (the uretprobe syscall enters before its handler pops the call).
 * - Faults: exceptions:page_fault_user, and page_fault_kernel on a user address (a copy to or from user memory
 *   inside a syscall), which is where the page-fault perf events are counted (do_user_addr_fault). x86 only: other
 *   architectures have no such tracepoints, and the reader attaches no fault program there.
 *
 * Return values: the tp_btf programs' are ignored; they return 1 anyway (phases.bpf.c says why). The uprobe programs
 * return 0: their perf events are ours alone, and 0 saves the kernel writing a sample nobody reads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "api.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the reader before load (the x86-64 numbers by default). */
const volatile long api_nr_ioctl = 16;
const volatile long api_nr_uretprobe = 335;
const volatile long api_nr_uprobe = 336;

#define PASS_SAMPLE 1
#define DROP_OWN_SAMPLE 0

/* TASK_REPORT: the states a switch away reports as blocked (phases.bpf.c, PerfCollector). */
#define API_TASK_REPORT 0x7f
/* x86-64's TASK_SIZE_MAX with 4-level paging is below this; 5-level user space ends at 1 << 56. */
#define API_USER_END (1ull << 56)

struct api_frame {
    __u64 start_ns;
    __u32 function;
    __u32 syscalls;
    __u32 ioctls;
    __u32 voluntary;
    __u32 involuntary;
    __u32 faults;
};

struct api_thread {
    struct api_frame frame[API_MAX_DEPTH];
    __u32 depth;    /* frames in use */
    __u32 overflow; /* entries past API_MAX_DEPTH not yet returned: their returns are skipped */
};

/* Calls open now anywhere in the traced tree. The syscall, switch and fault programs run for every task on the
 * machine; while no call is open (most of the time, even in a launch storm) they return on this plain load, before any
 * helper (a task-storage lookup a syscall cost about 0.1 us on the 2-core VM). */
__u64 api_open_calls;

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u32);   /* tgid */
    __type(value, __u32); /* 0 tracked, 1 armed */
} api_tgids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct api_thread);
} api_threads SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, API_STAT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} api_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 << 20);
} api_calls SEC(".maps");

static __always_inline void stat(__u32 which, __u64 n)
{
    __u64 *v = bpf_map_lookup_elem(&api_stats, &which);
    if (v) {
        *v += n;
    }
}

static __always_inline int armed(__u32 tgid)
{
    __u32 *state = bpf_map_lookup_elem(&api_tgids, &tgid);
    return state && *state == 1;
}

static __always_inline int any_open(void)
{
    return *(volatile __u64 *)&api_open_calls != 0;
}

/* The thread's innermost open call, or NULL (no storage: never entered a probed call; or none open). */
static __always_inline struct api_frame *innermost(struct task_struct *task)
{
    if (!any_open()) {
        return NULL;
    }
    struct api_thread *t = bpf_task_storage_get(&api_threads, task, 0, 0);
    if (!t) {
        return NULL;
    }
    __u32 d = t->depth;
    if (d == 0 || d > API_MAX_DEPTH) {
        return NULL;
    }
    return &t->frame[(d - 1) & (API_MAX_DEPTH - 1)];
}

static __always_inline void emit(struct api_frame *f, __u64 end_ns, __u32 pid, __u32 tid)
{
    struct api_call *c = bpf_ringbuf_reserve(&api_calls, sizeof *c, 0);
    if (!c) {
        stat(API_STAT_EVENTS_LOST, 1);
        return;
    }
    c->start_ns = f->start_ns;
    c->end_ns = end_ns;
    c->function = f->function;
    c->pid = pid;
    c->tid = tid;
    c->syscalls = f->syscalls;
    c->ioctls = f->ioctls;
    c->voluntary = f->voluntary;
    c->involuntary = f->involuntary;
    c->faults = f->faults;
    /* No wake-up: the reader polls on a timer, and a wake-up is an irq_work per call. */
    bpf_ringbuf_submit(c, BPF_RB_NO_WAKEUP);
    stat(API_STAT_CALLS, 1);
}

SEC("uprobe")
int BPF_KPROBE(api_entry)
{
    __u64 now = bpf_ktime_get_ns();
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    if (!armed(pid_tgid >> 32)) {
        return DROP_OWN_SAMPLE;
    }
    struct api_thread *t = bpf_task_storage_get(&api_threads, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!t) {
        stat(API_STAT_NO_STORAGE, 1);
        return DROP_OWN_SAMPLE;
    }
    __u32 d = t->depth;
    if (d >= API_MAX_DEPTH) {
        t->overflow++;
        stat(API_STAT_TOO_DEEP, 1);
        return DROP_OWN_SAMPLE;
    }
    struct api_frame *f = &t->frame[d & (API_MAX_DEPTH - 1)];
    f->start_ns = now;
    f->function = (__u32)bpf_get_attach_cookie(ctx);
    f->syscalls = f->ioctls = f->voluntary = f->involuntary = f->faults = 0;
    t->depth = d + 1;
    __sync_fetch_and_add(&api_open_calls, 1);
    return DROP_OWN_SAMPLE;
}

SEC("uretprobe")
int BPF_KRETPROBE(api_return)
{
    __u64 now = bpf_ktime_get_ns();
    struct api_thread *t = bpf_task_storage_get(&api_threads, bpf_get_current_task_btf(), 0, 0);
    if (!t) {
        /* Not armed, or a call that began before the capture (the perf path counts the latter as unmatched too,
         * but only for traced threads: an untraced process's returns are not ours to count). */
        return DROP_OWN_SAMPLE;
    }
    if (t->overflow) {
        t->overflow--;
        return DROP_OWN_SAMPLE;
    }
    __u32 function = (__u32)bpf_get_attach_cookie(ctx);
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid;
    __u32 d = t->depth;
    /* The return closes the innermost open call of its function; calls above it that never returned (a longjmp, an
     * exception through C frames) close with it, as ApiAttribution closes them. */
    int found = 0;
    for (int i = API_MAX_DEPTH - 1; i >= 0; i--) {
        if ((__u32)i < d && t->frame[i].function == function) {
            found = i + 1;
            break;
        }
    }
    if (!found) {
        stat(API_STAT_UNMATCHED, 1);
        return DROP_OWN_SAMPLE;
    }
    for (int i = API_MAX_DEPTH - 1; i >= 0; i--) {
        if ((__u32)i < d && i >= found - 1) {
            emit(&t->frame[i], now, pid, tid);
        }
    }
    t->depth = found - 1;
    __sync_fetch_and_add(&api_open_calls, -(__s64)(d - (found - 1)));
    return DROP_OWN_SAMPLE;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(api_sys_enter, struct pt_regs *regs, long id)
{
    struct api_frame *f = innermost(bpf_get_current_task_btf());
    if (!f) {
        return PASS_SAMPLE;
    }
    if (id == api_nr_uretprobe || id == api_nr_uprobe || id < 0) {
        stat(API_STAT_PROBE_SYSCALLS, 1);
        return PASS_SAMPLE;
    }
    f->syscalls++;
    if (id == api_nr_ioctl) {
        f->ioctls++;
    }
    return PASS_SAMPLE;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(api_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
    struct api_frame *f = innermost(prev);
    if (!f) {
        return PASS_SAMPLE;
    }
    /* Blocked unless preempted or still TASK_RUNNING: the split PerfCollector makes from the tracepoint's reported
     * state. */
    if (!preempt && ((prev_state | prev->exit_state) & API_TASK_REPORT)) {
        f->voluntary++;
    } else {
        f->involuntary++;
    }
    return PASS_SAMPLE;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(api_fault_user, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
    struct api_frame *f = innermost(bpf_get_current_task_btf());
    if (f) {
        f->faults++;
    }
    return PASS_SAMPLE;
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(api_fault_kernel, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
    if (address >= API_USER_END) {
        return PASS_SAMPLE;
    }
    struct api_frame *f = innermost(bpf_get_current_task_btf());
    if (f) {
        f->faults++;
    }
    return PASS_SAMPLE;
}

/* A thread that exits inside calls (exit_group from a callback, a kill): its open calls are written unfinished. */
static __always_inline void emit_open(struct task_struct *task)
{
    struct api_thread *t = bpf_task_storage_get(&api_threads, task, 0, 0);
    if (!t) {
        return;
    }
    __u32 d = t->depth;
    __u32 pid = task->tgid, tid = task->pid;
    for (int i = 0; i < API_MAX_DEPTH; i++) {
        if ((__u32)i < d) {
            emit(&t->frame[i], 0, pid, tid);
        }
    }
    t->depth = 0;
    if (d) {
        __sync_fetch_and_add(&api_open_calls, -(__s64)d);
    }
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(api_exit, struct task_struct *p, bool group_dead)
{
    emit_open(p);
    if (group_dead) {
        __u32 tgid = p->tgid;
        bpf_map_delete_elem(&api_tgids, &tgid);
    }
    return PASS_SAMPLE;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(api_fork, struct task_struct *parent, struct task_struct *child)
{
    __u32 ptgid = parent->tgid, ctgid = child->tgid;
    if (child->pid != ctgid) {
        return PASS_SAMPLE; /* a thread: api_tgids is per process */
    }
    __u32 *state = bpf_map_lookup_elem(&api_tgids, &ptgid);
    if (state) {
        __u32 copy = *state;
        bpf_map_update_elem(&api_tgids, &ctgid, &copy, BPF_ANY);
    }
    return PASS_SAMPLE;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(api_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    __u32 tgid = p->tgid;
    __u32 *state = bpf_map_lookup_elem(&api_tgids, &tgid);
    if (state) {
        *state = 1;
        /* The old image's open calls will never return. */
        emit_open(p);
    }
    return PASS_SAMPLE;
}

/* Capture end, after the programs are detached and a grace period has passed: the calls still open in threads alive
 * now are written unfinished. */
SEC("iter/task")
int api_flush(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;
    if (task) {
        emit_open(task);
    }
    return 0;
}
