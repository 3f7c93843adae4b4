// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel keeps the phase (issue 20): per-phase figures summed in the kernel, so syscalls need not be events.
 *
 * - gos_tgids follows the traced tree: user space adds the root (0: tracked), its exec arms it (1), a fork copies the
 *   parent's state to the new process. Only armed processes are counted, so the launcher's syscalls before exec are
 *   not.
 * - gos_marker runs on the gpuos_probe_marker uprobe, attached to the library file for every process (pid -1) and
 *   filtered here by gos_tgids: a forked child and an exec'd image are seen with no perf-event inheritance, also when
 *   the probe is optimized (a 5-byte nop, Linux 6.18+). It keeps each thread's stack of open path ids in task storage
 *   and the capture-wide open set (phases.h), and hands every marker to gos_events.
 * - sys_exit, sched_switch and the page-fault perf events add into gos_sys and gos_phase under the thread's path and
 *   the open set; syscalls through a cache (gos_cpu, gos_thread's c) that the capture's end empties with gos_flush. A
 *   syscall is counted under the open set at its entry, which sys_enter keeps (and, with gos_timing, the entry time):
 *   full mode and TraceView place a call in a phase by its entry, so a call that blocks across another thread's marker
 *   belongs where it began. A thread that never marks (one the runtime or the program started inside a phase) has
 *   path 0: it inherits no phase; the open set still places its counts in the time window of every open phase.
 *
 * Return values: the tp_btf programs run straight from the tracepoint (no perf sample is built), so theirs are
 * ignored; they return 1 anyway, since a perf-tracepoint program returning 0 drops the sample for every perf user of
 * the tracepoint (BpfSyscallCounter's remarks) and these may be loaded that way one day. The uprobe and perf_event
 * programs return 0: their perf events are ours alone, and 0 saves the kernel writing a sample nobody reads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "phases.h"
/* Hybrid mode's per-number counts and decode-set records: with the gpuos markers read, gos_sys_enter and gos_sys_exit
 * make them for syscall_counter.bpf.c in the maps the loader hands over, so a syscall runs one program at each end
 * (hybrid_counts.h). */
#include "hybrid_counts.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (the x86-64 numbers by default). -1: none. */
const volatile long gos_nr_exit = 60;
const volatile long gos_nr_exit_group = 231;
const volatile long gos_nr_uretprobe = 335;
const volatile long gos_nr_uprobe = 336;
const volatile long gos_nr_rt_sigreturn = 15;
/* 0 (the default): every call is untimed (time_ns 0, untimed = calls); gos_sys_enter keeps only the open set at entry,
 * in the CPU's record. 1: each syscall is timed too, at the cost of a task-storage lookup and two clock reads a call
 * (on the 2-core VM a clock read is most of it: about 0.08 us each). */
const volatile __u32 gos_timing = 0;

#define PASS_SAMPLE 1
#define DROP_OWN_SAMPLE 0

/* include/linux/sched.h: set on a task a fatal signal kills (get_signal), never by the exit/exit_group syscalls. */
#define GOS_PF_SIGNALED 0x00000400

/* The per-thread syscall cache: up to GOS_SLOTS distinct numbers summed in the thread's own storage under one key
 * (path, set), flushed into gos_sys when the key changes (at the thread's next syscall exit after its marker, an exec
 * or another thread's marker), when the slots run out, at the thread's exit, and by gos_flush at capture end. So a
 * syscall costs one task-storage lookup and a few adds, no hash lookup. It stays small (under a page) so its storage
 * comes from the kernel's small allocators at fork, not an order-3 page allocation that can fail. */
#define GOS_SLOTS 32

struct gos_cache {
    __u64 key_path; /* the key the slots are summed under */
    __u64 key_set;
    __u32 nslots;   /* slots in use */
    __u32 pad;
    struct gos_sys_val slot[GOS_SLOTS];
    __u16 nr_of[GOS_SLOTS];        /* each slot's syscall number */
    __u8 slot_of[GOS_MAX_SYSCALL]; /* each number's slot + 1, 0: none */
};

struct gos_thread {
    __u64 stack[GOS_MAX_DEPTH];
    __u64 inst[GOS_MAX_DEPTH]; /* each open phase's instance number (what the open set holds) */
    __u64 path;        /* top of stack: the thread's innermost open phase (0: none) */
    __u64 sys_ns;      /* timing: the counted syscall's entry time, 0 when none was seen */
    __u64 ent_set;     /* the open set at the thread's last syscall entry, when ent_valid (entry_set says where) */
    __u64 exec_path;   /* the key an exec's own execve is counted under (the old image's), when exec_pending */
    __u64 exec_set;
    __u64 open_share;  /* its open phase runs' share of the open set (gos_mix of each instance on its stack): what an
                          exec of its process takes out; gos_exit hands a leftover share to gos_proc_open */
    __u64 oncpu_since; /* 0: not known to be on a CPU */
    __u64 slice_path;
    __u64 slice_set;
    __u32 depth;
    __u32 armed;  /* its process is armed: the hot paths test this, not gos_tgids (a hash lookup a syscall) */
    __u32 tid;    /* the thread id its counts are keyed by */
    __u32 exec_pending;
    __u32 probe_syscall; /* the call in progress is a probe's own (uprobe, uretprobe): its exit counts nowhere */
    __u32 ent_valid;     /* ent_set holds an entry: none yet for a new thread, whose first exit is its clone's return */
    struct gos_cache c; /* with gos_timing 1 (the entry time is the thread's) */
};

/* With gos_timing 0, the counts go to the CPU's cache instead, owned by the task whose syscall entry or exit ran on
 * the CPU last: its syscall entries and exits then call no helper at all (on the AMD VM each helper's return costs 15
 * to 25 ns, Safe RET). The owner is known by its pt_regs address, the tracepoint's first argument (one per task, on
 * its kernel stack). Its path is copied in at the take; gos_epoch, bumped by every marker, exec, armed fork and armed
 * exit, makes every CPU take again (a new path, a flag for the next exit, or a stack address a new task may reuse).
 * The slots carry their own thread id and key, so a CPU's counts stay the thread's when it moves on, until the next
 * take on that CPU or gos_flush empties them. */
struct gos_cpu {
    __u64 owner; /* the owner's pt_regs address, 0: none */
    __u64 epoch; /* gos_epoch at the take */
    __u64 path;  /* the owner's path at the take */
    __u64 ent_owner; /* whose syscall entry ent_set is (a pt_regs address, 0: none): the running armed task's last
                        entry on this CPU; its switch away moves it to the task's ent_set (gos_switch_entry) */
    __u64 ent_set;   /* the open set at that entry */
    __u32 armed; /* the owner is armed (else its exits return at once) */
    __u32 tid;   /* the thread id the slots are keyed by */
    __u32 ent_probe; /* that entry was a probe syscall's (is_probe_nr): its exit counts nowhere; the switch away
                        moves it to the task's probe_syscall with ent_set */
    __u32 pad;
    struct gos_cache c;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct gos_cpu);
} gos_cpus SEC(".maps");

__u64 gos_epoch;

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u32);   /* tgid */
    __type(value, __u32); /* 0 tracked, 1 armed */
} gos_tgids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct gos_thread);
} gos_threads SEC(".maps");

/* The open set, in .bss: read on every syscall, so a plain load rather than a map lookup. */
__u64 gos_open_set;

/* The last phase instance number handed out (phases.h): each begin takes the next, so two runs of one phase are two
 * members of the set and their counts stay apart. */
__u64 gos_last_instance;

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u32);   /* tgid */
    __type(value, __u64); /* the share of the open set left by this process's threads that exited with phases open
                             (each live thread keeps its own in its storage: open_share), taken out at its exec */
} gos_proc_open SEC(".maps");

/* Sized by the loader (a run of a phase is a new set, so a loop's steps each add keys); no preallocation, so a large
 * size costs only the entries used. Full, a count is lost and gos_stats says so. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(max_entries, 131072);
    __type(key, struct gos_sys_key);
    __type(value, struct gos_sys_val);
} gos_sys SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(max_entries, 131072);
    __type(key, struct gos_phase_key);
    __type(value, struct gos_phase_val);
} gos_phase SEC(".maps");

/* The end of the capture's window for switches and faults (CLOCK_MONOTONIC ns; 0: none yet). User space sets it a
 * little ahead of now when the capture stops and drains its perf events only once it has passed, so both sides count
 * exactly the switches and faults before it: a thread that outlives the capture (a lingering child) no longer has
 * one counted here and not recorded there, or the reverse. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} gos_cut SEC(".maps");

/* Witness mode (1; full mode's cross-check sets it): every counted switch and fault is also a ring-buffer record of
 * where it was counted (GOS_EV_ACTIVITY), and every marker and record carries its bracket_ns, so user space can tell an
 * event whose place the two ways' clocks cannot order (one at a boundary of another thread's phase) from a miscount. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} gos_witness SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, GOS_STAT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} gos_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 << 20);
} gos_events SEC(".maps");

static __always_inline void stat(__u32 which, __u64 n)
{
    __u64 *v = bpf_map_lookup_elem(&gos_stats, &which);
    if (v) {
        *v += n;
    }
}

static __always_inline int armed(__u32 tgid)
{
    __u32 *state = bpf_map_lookup_elem(&gos_tgids, &tgid);
    return state && *state == 1;
}

static __always_inline __u64 current_set(void)
{
    return *(volatile __u64 *)&gos_open_set;
}

/* The thread's state when its process is armed, else NULL. No storage is created here: a thread gets it at its fork
 * (gos_fork) or its process's exec (gos_exec), so every other task on the machine costs one NULL test. */
static __always_inline struct gos_thread *armed_thread(struct task_struct *task)
{
    struct gos_thread *t = bpf_task_storage_get(&gos_threads, task, 0, 0);
    return t && t->armed ? t : NULL;
}

static __always_inline __u64 top(struct gos_thread *t)
{
    __u32 d = t->depth;
    return d > 0 && d <= GOS_MAX_DEPTH ? t->stack[(d - 1) & (GOS_MAX_DEPTH - 1)] : 0;
}

/* Adds one slot's sums to gos_sys. Counts are per thread in every key and a key's thread flushes it (or gos_flush,
 * once the counting programs are detached), so plain adds cannot race. */
static __always_inline void add_sys(__u64 path, __u64 set, __u32 tid, __u32 nr, struct gos_sys_val *c)
{
    struct gos_sys_key k = {.path = path, .set = set, .tid = tid, .nr = nr};
    struct gos_sys_val *v = bpf_map_lookup_elem(&gos_sys, &k);
    if (!v) {
        if (bpf_map_update_elem(&gos_sys, &k, c, BPF_NOEXIST) == 0) {
            return;
        }
        v = bpf_map_lookup_elem(&gos_sys, &k);
        if (!v) {
            stat(GOS_STAT_MAP_FULL, c->calls);
            return;
        }
    }
    v->calls += c->calls;
    v->errors += c->errors;
    v->time_ns += c->time_ns;
    v->untimed += c->untimed;
}

/* Empties a cache into gos_sys under its key and thread. */
static __always_inline void flush(struct gos_cache *t, __u32 tid)
{
    __u32 n = t->nslots;
    for (__u32 i = 0; i < GOS_SLOTS; i++) {
        if (i >= n) {
            break;
        }
        struct gos_sys_val *c = &t->slot[i];
        __u32 nr = t->nr_of[i] & (GOS_MAX_SYSCALL - 1);
        add_sys(t->key_path, t->key_set, tid, nr, c);
        c->calls = c->errors = c->time_ns = c->untimed = 0;
        t->slot_of[nr] = 0;
    }
    t->nslots = 0;
}

/* The slot of syscall NR under key (path, set), flushing first when the key changed or the slots ran out. */
static __always_inline struct gos_sys_val *slot(struct gos_cache *t, __u32 tid, __u64 path, __u64 set, __u32 nr)
{
    if (t->key_path != path || t->key_set != set) {
        if (t->nslots) {
            flush(t, tid);
        }
        t->key_path = path;
        t->key_set = set;
    }
    nr &= GOS_MAX_SYSCALL - 1;
    __u32 s = t->slot_of[nr];
    if (!s) {
        if (t->nslots >= GOS_SLOTS) {
            flush(t, tid);
        }
        s = ++t->nslots;
        t->slot_of[nr] = s;
        t->nr_of[(s - 1) & (GOS_SLOTS - 1)] = nr;
    }
    return &t->slot[(s - 1) & (GOS_SLOTS - 1)];
}

static __always_inline void bump_epoch(void)
{
    __sync_fetch_and_add(&gos_epoch, 1);
}

/* This CPU's cache, when the current task owns it. */
static __always_inline struct gos_cpu *own_cpu(struct task_struct *task)
{
    __u32 zero = 0;
    struct gos_cpu *p = bpf_map_lookup_elem(&gos_cpus, &zero);
    return p && p->owner == (__u64)bpf_task_pt_regs(task) ? p : NULL;
}

static __always_inline struct gos_phase_val *phase_slot(__u64 path, __u64 set, __u32 tid)
{
    struct gos_phase_key k = {.path = path, .set = set, .tid = tid};
    struct gos_phase_val *v = bpf_map_lookup_elem(&gos_phase, &k);
    if (v) {
        return v;
    }
    struct gos_phase_val zero = {};
    bpf_map_update_elem(&gos_phase, &k, &zero, BPF_NOEXIST);
    v = bpf_map_lookup_elem(&gos_phase, &k);
    if (!v) {
        stat(GOS_STAT_MAP_FULL, 1);
    }
    return v;
}

static __always_inline struct gos_thread *thread_of(struct task_struct *task)
{
    return bpf_task_storage_get(&gos_threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* Ends the thread's current on-CPU slice at now and starts the next one under its present path and set. */
static __always_inline void cut_slice(struct gos_thread *t, __u32 tid, __u64 now)
{
    if (t->oncpu_since) {
        struct gos_phase_val *v = phase_slot(t->slice_path, t->slice_set, tid);
        if (v) {
            v->oncpu_ns += now - t->oncpu_since;
        }
        t->oncpu_since = now;
    }
    t->slice_path = t->path;
    t->slice_set = current_set();
}

/* Makes the current task this CPU's owner (gos_cpu): flushes the previous owner's counts, and copies in the task's
 * armed state, thread id and path. The epoch is read before the thread's state, so a change after it makes the next
 * entry or exit take again. The thread's state when armed, else NULL. */
static __always_inline struct gos_thread *take(struct gos_cpu *p, struct pt_regs *regs, __u64 epoch)
{
    struct gos_thread *t = armed_thread(bpf_get_current_task_btf());
    if (p->owner != (__u64)regs && p->c.nslots) {
        flush(&p->c, p->tid);
    }
    p->owner = (__u64)regs;
    p->epoch = epoch;
    p->armed = t != NULL;
    if (!t) {
        return NULL;
    }
    if (p->tid != t->tid && p->c.nslots) {
        flush(&p->c, p->tid);
    }
    p->tid = t->tid;
    p->path = t->path;
    return t;
}

/* The open set at the entry of the call the task (its pt_regs REGS, its state T) is in. With gos_timing 0 the entry
 * is in CPU's record (CPU may be NULL: none) when the task entered on that CPU and has not been switched away since,
 * else in T (gos_switch_entry moved it there). None is seen for a new thread's return from clone and the root's execve,
 * which entered before the process was armed: those are counted under the set at their exit. (Full mode drops an exit
 * with no entry, so neither is in a phase there; both are in the decode set, whose per-phase figures are never the
 * counter's.) */
static __always_inline __u64 entry_set(struct gos_cpu *cpu, __u64 regs, struct gos_thread *t)
{
    if (cpu && cpu->ent_owner == regs) {
        return cpu->ent_set;
    }
    return t->ent_valid ? t->ent_set : current_set();
}

/* Hybrid mode's entry work for an armed thread's call (hybrid_counts.h): ID is the number it entered with. */
static __always_inline void hybrid_enter(void *ctx, struct pt_regs *regs, long id)
{
#ifdef __TARGET_ARCH_x86
    __u64 nr = id; /* unsigned, so that a negative id (a syscall(-1)) is out of range too */
    if (nr < MAX_SYSCALL) {
        __u32 flags = hybrid_flags_of(nr);
        if (flags) {
            hybrid_count_enter(ctx, regs, nr, flags);
        }
    }
#endif
}

/* The probes' own ways into the kernel: an optimized uprobe's syscall (a marker, or another tool's probe on a 5-byte
 * nop) and a return probe's uretprobe syscall. Both leave orig_ax at -1 by their exit, as rt_sigreturn does, so the
 * exit can tell them apart only from what its entry saw. */
static __always_inline int is_probe_nr(long id)
{
    return id == gos_nr_uprobe || id == gos_nr_uretprobe;
}

/* Keeps the open set at entry, which the call is counted under at its exit (with gos_timing, also the entry time),
 * and does hybrid mode's entry work. With gos_timing 0, the set goes to this CPU's record, with no helper call while
 * the CPU's owner stays; gos_switch_entry moves it to the thread's storage when the thread is switched away, so it
 * follows the thread to another CPU. */
SEC("tp_btf/sys_enter")
int BPF_PROG(gos_sys_enter, struct pt_regs *regs, long id)
{
    if (gos_timing) {
        struct gos_thread *t = armed_thread(bpf_get_current_task_btf());
        if (t) {
            t->ent_set = current_set();
            t->ent_valid = 1;
            t->sys_ns = bpf_ktime_get_ns();
            if (is_probe_nr(id)) {
                t->probe_syscall = 1;
            }
            hybrid_enter(ctx, regs, id);
        }
        return PASS_SAMPLE;
    }
    __u32 zero = 0;
    struct gos_cpu *p = bpf_map_lookup_elem(&gos_cpus, &zero);
    if (!p) {
        return PASS_SAMPLE;
    }
    __u64 epoch = *(volatile __u64 *)&gos_epoch;
    if (p->owner != (__u64)regs || p->epoch != epoch) {
        take(p, regs, epoch);
    }
    if (!p->armed) {
        return PASS_SAMPLE;
    }
    /* Compared first: over a run of calls under one set, the record is only read. A probe syscall is flagged here
     * for its exit (exit_nr's PROBE) with no task-storage lookup: a marker's way in needs none. */
    __u64 set = current_set();
    __u32 probe = is_probe_nr(id);
    if (p->ent_owner != (__u64)regs || p->ent_set != set || p->ent_probe != probe) {
        p->ent_owner = (__u64)regs;
        p->ent_set = set;
        p->ent_probe = probe;
    }
    hybrid_enter(ctx, regs, id);
    return PASS_SAMPLE;
}

/* The number the raw_syscalls sys_exit tracepoint reports (syscall_get_nr): hybrid mode counts under it. Out of range
 * (never counted) off x86-64, whose registers are the only ones read here. */
static __always_inline __u64 raw_exit_nr(struct pt_regs *regs)
{
#ifdef __TARGET_ARCH_x86
    return regs->orig_ax;
#else
    return -1;
#endif
}

/* The call ending left no syscall number in the registers (exit_nr tells which call it was). */
static __always_inline int leaves_no_nr(struct pt_regs *regs)
{
    return raw_exit_nr(regs) == (__u64)-1;
}

/* The number of the call a sys_exit ends, from the registers; -1 when there is none to count. PROBE: a marker came
 * in through the optimized probe's uprobe syscall since the thread's last exit. */
static __always_inline long exit_nr(struct pt_regs *regs, int probe)
{
#ifdef __TARGET_ARCH_x86
    long id = regs->orig_ax;
#else
    long id = -1;
#endif
    if (id == -1) {
        /* Three x86-64 calls leave no number behind: the uprobe syscall (an optimized probe's way in, which sets
         * orig_ax to -1 before the probe's programs run), the uretprobe syscall (a return probe's way back) and
         * rt_sigreturn (restore_sigcontext sets it to -1). gos_sys_enter flags the thread at the entry of either
         * probe syscall (and gos_marker too: it runs inside the first). (A debugger skipping a call also leaves -1;
         * it is counted as an rt_sigreturn.) */
        id = probe ? gos_nr_uprobe : gos_nr_rt_sigreturn;
    }
    if (id == gos_nr_uprobe || id == gos_nr_uretprobe) {
        stat(GOS_STAT_PROBE_SYSCALLS, 1);
        return -1;
    }
    return (unsigned long)id < GOS_MAX_SYSCALL ? id : -1;
}

/* The key a thread's exit counts under: its path and the open set at the call's entry, or, right after an exec, the
 * old image's. CPU: this CPU's record (NULL with gos_timing 1). */
static __always_inline void exit_key(struct gos_cpu *cpu, struct pt_regs *regs, struct gos_thread *t, __u64 *path,
                                     __u64 *set)
{
    *path = t->path;
    *set = entry_set(cpu, (__u64)regs, t);
    t->ent_valid = 0;
    if (t->exec_pending) {
        /* An exec's own execve belongs to the image that called it. */
        *path = t->exec_path;
        *set = t->exec_set;
        t->exec_pending = 0;
    }
}

SEC("tp_btf/sys_exit")
int BPF_PROG(gos_sys_exit, struct pt_regs *regs, long ret)
{
    if (!gos_timing) {
        __u32 zero = 0;
        struct gos_cpu *p = bpf_map_lookup_elem(&gos_cpus, &zero);
        if (!p) {
            return PASS_SAMPLE;
        }
        __u64 epoch = *(volatile __u64 *)&gos_epoch;
        if (p->owner == (__u64)regs && p->epoch == epoch) {
            /* The fast path: this task's entries and exits ran here last and nothing changed since. */
            if (!p->armed) {
                return PASS_SAMPLE;
            }
            if (p->ent_owner == (__u64)regs && leaves_no_nr(regs) && p->ent_probe) {
                /* A probe syscall that entered here (a marker's way in: gos_marker took this CPU's cache again for
                 * its thread, so nothing else is needed): counted nowhere. */
                p->ent_probe = 0;
                stat(GOS_STAT_PROBE_SYSCALLS, 1);
                return PASS_SAMPLE;
            }
            if (p->ent_owner == (__u64)regs && !leaves_no_nr(regs)) {
                /* It entered here and was not switched away since: the entry's set is this CPU's record. A call that
                 * leaves no number (rt_sigreturn, or a probe's syscall) takes the path below, which reads the
                 * thread's flag from its entry. */
                hybrid_count_exit(ctx, raw_exit_nr(regs), ret);
                long id = exit_nr(regs, 0);
                if (id < 0) {
                    return PASS_SAMPLE;
                }
                struct gos_sys_val *v = slot(&p->c, p->tid, p->path, p->ent_set, (__u32)id);
                v->calls++;
                v->errors += ret < 0 && ret >= -4095;
                v->untimed++;
                return PASS_SAMPLE;
            }
            /* Switched away during the call: gos_switch_entry moved the entry's set to the thread's storage. */
        }
        struct gos_thread *t = take(p, regs, epoch);
        if (!t) {
            return PASS_SAMPLE;
        }
        hybrid_count_exit(ctx, raw_exit_nr(regs), ret);
        /* Flagged at its entry: in this CPU's record when it entered here and stayed, else (switched away during
         * the call, or a thread gos_marker armed inside it) in its storage. */
        int probe = t->probe_syscall || (p->ent_owner == (__u64)regs && p->ent_probe);
        t->probe_syscall = 0;
        if (p->ent_owner == (__u64)regs) {
            p->ent_probe = 0;
        }
        long id = exit_nr(regs, probe);
        if (id < 0) {
            return PASS_SAMPLE;
        }
        __u64 path, set;
        exit_key(p, regs, t, &path, &set);
        struct gos_sys_val *v = slot(&p->c, p->tid, path, set, (__u32)id);
        v->calls++;
        v->errors += ret < 0 && ret >= -4095;
        v->untimed++;
        return PASS_SAMPLE;
    }
    struct gos_thread *t = armed_thread(bpf_get_current_task_btf());
    if (!t) {
        return PASS_SAMPLE;
    }
    hybrid_count_exit(ctx, raw_exit_nr(regs), ret);
    int probe = t->probe_syscall;
    t->probe_syscall = 0;
    long id = exit_nr(regs, probe);
    if (id < 0) {
        t->sys_ns = 0;
        t->ent_valid = 0;
        return PASS_SAMPLE;
    }
    __u64 path, set;
    exit_key(NULL, regs, t, &path, &set);
    struct gos_sys_val *v = slot(&t->c, t->tid, path, set, (__u32)id);
    v->calls++;
    v->errors += ret < 0 && ret >= -4095;
    if (t->sys_ns) {
        v->time_ns += bpf_ktime_get_ns() - t->sys_ns;
        t->sys_ns = 0;
    } else {
        /* An exit whose entry was not seen: the root's execve (it entered before the process was armed) and a new
         * thread's or child's return from clone. */
        v->untimed++;
    }
    return PASS_SAMPLE;
}

/* Moves the CPU's entry record (gos_cpu's ent_owner, ent_set) to the task switched away, whose call may end on another
 * CPU, where its exit finds it in the task's storage (entry_set). A record is made only by the task running on its CPU
 * and goes at that task's next switch away (or its exit), so a record here is PREV's: every other switch costs a
 * per-CPU array read. Attached wherever gos_sys_enter is, with gos_timing 0. */
SEC("tp_btf/sched_switch")
int BPF_PROG(gos_switch_entry, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
    __u32 zero = 0;
    struct gos_cpu *c = bpf_map_lookup_elem(&gos_cpus, &zero);
    if (!c || !c->ent_owner) {
        return PASS_SAMPLE;
    }
    struct gos_thread *t = bpf_task_storage_get(&gos_threads, prev, 0, 0);
    if (t) {
        t->ent_set = c->ent_set;
        t->ent_valid = 1;
        if (c->ent_probe) {
            t->probe_syscall = 1;
        }
    }
    c->ent_owner = 0;
    c->ent_probe = 0;
    return PASS_SAMPLE;
}

/* TASK_REPORT: the states a switch away reports as blocked (sched_switch's __trace_sched_switch_state). */
#define GOS_TASK_REPORT 0x7f
/* include/linux/sched.h: set at the start of do_exit (exit_signals). */
#define GOS_PF_EXITING 0x00000004

/* task_struct's perf context as Linux 6.2+ has it (one pointer; before, an array, which this flavor does not match). */
struct task_struct___perf {
    struct perf_event_context *perf_event_ctxp;
} __attribute__((preserve_access_index));

/* Whether --mode full could record this switch away of PREV: perf's per-task events, which record switches there, end
 * at perf_event_exit_task, partway through do_exit; a dying thread is still switched after that (a preemption, seen
 * on most forked children of phases-prog fork; its last switch, in do_task_dead). So a switch of an exiting task with
 * no perf context left is not counted, and from exit_notify on none is. A task that never had perf events loses only
 * its exit's switches this way, never its life's. */
/* NOW is at or past the capture's cut (gos_cut). */
static __always_inline int past_cut(__u64 now)
{
    __u32 zero = 0;
    __u64 *cut = bpf_map_lookup_elem(&gos_cut, &zero);
    return cut && *cut && now >= *cut;
}

/* A marker's (or a witness) record wakes no reader until the buffer is an eighth full: a wakeup per record (submit's
 * default, whenever the reader has caught up) queues an irq_work, a self-IPI that on the VM was most of the program's time (2.3 to
 * 3.0 us a marker, 0.7 to 0.9 us without). Readers drain the rest at the capture's end (KernelPhaseCounter's Finish,
 * phases-loader) and at the fork and exec records, which still wake them. Past that, only the record that takes the
 * unread data across a multiple of an eighth wakes them, not every record: a reader sleeps only with nothing to read
 * (the buffer's poll reports data at once), so one that has fallen behind is awake, and a wakeup per record then
 * cost every marker the self-IPI until it caught up; a reader asleep is woken at the first eighth, as before. */
static __always_inline void submit_quiet(struct gos_event *e)
{
    __u64 avail = bpf_ringbuf_query(&gos_events, BPF_RB_AVAIL_DATA);
    __u64 eighth = bpf_ringbuf_query(&gos_events, BPF_RB_RING_SIZE) / 8;
    /* The record is in avail from its reserve on, with its 8-byte header. */
    __u64 len = sizeof *e + 8, before = avail > len ? avail - len : 0;
    int crossed = eighth && avail / eighth != before / eighth;
    bpf_ringbuf_submit(e, crossed ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline int witnessing(void)
{
    __u32 zero = 0;
    __u32 *on = bpf_map_lookup_elem(&gos_witness, &zero);
    return on && *on;
}

/* Witness mode: the record of one count, made where it was counted: NOW and the set read right after it. */
static __always_inline void witness(__u32 what, __u64 now, __u64 path, __u64 set, __u32 pid, __u32 tid)
{
    __u64 after = bpf_ktime_get_ns();
    struct gos_event *e = bpf_ringbuf_reserve(&gos_events, sizeof *e, 0);
    if (!e) {
        stat(GOS_STAT_EVENTS_LOST, 1);
        return;
    }
    __builtin_memset(e, 0, sizeof *e);
    e->time_ns = now;
    e->bracket_ns = after;
    e->kind = GOS_EV_ACTIVITY;
    e->mkind = what;
    e->path = path;
    e->set_before = e->set_after = set;
    e->pid = pid;
    e->tid = tid;
    submit_quiet(e);
}

static __always_inline int switch_recordable(struct task_struct *prev)
{
    if (prev->exit_state) {
        return 0;
    }
    if (!(prev->flags & GOS_PF_EXITING)) {
        return 1;
    }
    struct task_struct___perf *p = (void *)prev;
    return !bpf_core_field_exists(p->perf_event_ctxp) || BPF_CORE_READ(p, perf_event_ctxp) != NULL;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(gos_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
    /* The set is read right at the clock: gos_marker says why. */
    __u64 now = bpf_ktime_get_ns();
    __u64 set = current_set();
    {
        struct gos_thread *t = armed_thread(prev);
        if (t) {
            __u32 tid = prev->pid;
            cut_slice(t, tid, now);
            t->oncpu_since = 0;
            /* Its on-CPU time up to here counts; the switch only where full mode could record it. */
            int counted = switch_recordable(prev) && !past_cut(now);
            struct gos_phase_val *v = counted ? phase_slot(t->path, set, tid) : NULL;
            if (v) {
                /* Blocked unless preempted or still TASK_RUNNING: the split PerfCollector makes from the tracepoint's
                 * reported state, and the kernel's nvcsw/nivcsw. */
                int voluntary = !preempt && ((prev_state | prev->exit_state) & GOS_TASK_REPORT);
                if (voluntary) {
                    v->voluntary++;
                } else {
                    v->involuntary++;
                }
                if (witnessing()) {
                    witness(voluntary ? GOS_ACT_VOLUNTARY : GOS_ACT_INVOLUNTARY, now, t->path, set, prev->tgid, tid);
                }
            }
        }
    }
    {
        struct gos_thread *t = armed_thread(next);
        if (t) {
            t->oncpu_since = now;
            t->slice_path = t->path;
            t->slice_set = set;
        }
    }
    return PASS_SAMPLE;
}

static __always_inline int fault(int major)
{
    struct gos_thread *t = armed_thread(bpf_get_current_task_btf());
    if (!t) {
        return DROP_OWN_SAMPLE;
    }
    /* The set is read right at the clock: gos_marker says why. */
    __u64 now = bpf_ktime_get_ns();
    __u64 set = current_set();
    if (past_cut(now)) {
        return DROP_OWN_SAMPLE;
    }
    struct gos_phase_val *v = phase_slot(t->path, set, t->tid);
    if (v) {
        if (major) {
            v->faults_major++;
        } else {
            v->faults_minor++;
        }
        if (witnessing()) {
            witness(major ? GOS_ACT_FAULT_MAJOR : GOS_ACT_FAULT_MINOR, now, t->path, set, bpf_get_current_pid_tgid() >> 32,
                    t->tid);
        }
    }
    return DROP_OWN_SAMPLE;
}

SEC("perf_event")
int gos_fault_minor(struct bpf_perf_event_data *ctx) { return fault(0); }

SEC("perf_event")
int gos_fault_major(struct bpf_perf_event_data *ctx) { return fault(1); }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(gos_fork, struct task_struct *parent, struct task_struct *child)
{
    __u32 ptgid = parent->tgid, ctgid = child->tgid;
    __u32 *state = bpf_map_lookup_elem(&gos_tgids, &ptgid);
    if (!state) {
        return PASS_SAMPLE;
    }
    __u32 copy = *state;
    if (copy == 1) {
        /* The new thread or process starts with no phase open (a forked child began none of its parent's). */
        struct gos_thread *t = thread_of(child);
        if (t) {
            t->armed = 1;
            t->tid = child->pid;
        } else {
            stat(GOS_STAT_UNTRACKED, 1); /* no storage for it: none of its syscalls would be counted */
        }
        bump_epoch(); /* the child may reuse the stack of a task some CPU's cache knows as not armed */
    }
    if (child->pid != ctgid) {
        return PASS_SAMPLE; /* a thread: gos_tgids is per process */
    }
    if (bpf_map_update_elem(&gos_tgids, &ctgid, &copy, BPF_ANY)) {
        stat(GOS_STAT_UNTRACKED, 1);
    }
    if (copy == 1) {
        struct gos_event *e = bpf_ringbuf_reserve(&gos_events, sizeof *e, 0);
        if (!e) {
            stat(GOS_STAT_EVENTS_LOST, 1);
            return PASS_SAMPLE;
        }
        __builtin_memset(e, 0, sizeof *e);
        e->time_ns = bpf_ktime_get_ns();
        e->kind = GOS_EV_FORK;
        e->pid = ctgid;
        e->tid = child->pid;
        e->parent_tid = parent->pid;
        e->set_before = e->set_after = current_set();
        bpf_ringbuf_submit(e, 0);
    }
    return PASS_SAMPLE;
}

/* A tracked process that execs is armed; an armed one that execs loses every phase its old image left open (nothing
 * in the old image runs at exec to close them; MarkerPhases closes them at the exec too). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(gos_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    __u32 tgid = p->tgid;
    __u32 *state = bpf_map_lookup_elem(&gos_tgids, &tgid);
    if (!state) {
        return PASS_SAMPLE;
    }
    __u64 now = bpf_ktime_get_ns();
    __u64 before = current_set(), after = before;
    struct gos_thread *t = thread_of(p);
    if (*state == 1) {
        /* The process's share: the execing thread's own, and what its exited threads left (the others are gone by
         * now: exec waits for them to pass sched_process_exit, where gos_exit hands their shares over). */
        __u64 *exited = bpf_map_lookup_elem(&gos_proc_open, &tgid);
        __u64 share = (exited ? *exited : 0) + (t ? t->open_share : 0);
        if (share) {
            after = __sync_fetch_and_add(&gos_open_set, -share) - share;
        }
        if (exited) {
            *exited = 0;
        }
        if (t) {
            cut_slice(t, p->pid, now);
            if (t->depth) {
                stat(GOS_STAT_EXEC_CLOSED, t->depth);
            }
            /* The old image's counts go out under its thread id (a non-leader's exec takes the leader's), and the
             * execve itself, counted at its exit, under the old image's key. */
            if (t->armed) {
                struct gos_cpu *own = own_cpu(p);
                if (own) {
                    flush(&own->c, own->tid);
                }
                flush(&t->c, t->tid);
                t->exec_path = t->path;
                __u32 zero = 0;
                t->exec_set = entry_set(bpf_map_lookup_elem(&gos_cpus, &zero), (__u64)bpf_task_pt_regs(p), t);
                t->exec_pending = 1;
            }
        }
    }
    *state = 1;
    if (t) {
        t->armed = 1;
        t->tid = p->pid;
        t->depth = 0;
        t->open_share = 0;
        t->path = 0;
        bump_epoch();
        t->oncpu_since = now; /* it is on its CPU, and armed from here */
        t->slice_path = 0;
        t->slice_set = after;
    } else {
        stat(GOS_STAT_UNTRACKED, 1); /* no storage for the execing thread: none of its syscalls would be counted */
    }
    struct gos_event *e = bpf_ringbuf_reserve(&gos_events, sizeof *e, 0);
    if (!e) {
        stat(GOS_STAT_EVENTS_LOST, 1);
        return PASS_SAMPLE;
    }
    __builtin_memset(e, 0, sizeof *e);
    e->time_ns = now;
    e->kind = GOS_EV_EXEC;
    e->pid = tgid;
    e->tid = p->pid;
    e->parent_tid = old_pid;
    e->set_before = before;
    e->set_after = after;
    bpf_ringbuf_submit(e, 0);
    return PASS_SAMPLE;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(gos_exit, struct task_struct *p, bool group_dead)
{
    struct gos_thread *t = armed_thread(p);
    if (t) {
        /* exit and exit_group never reach sys_exit: a thread that did not die of a signal (get_signal sets
         * PF_SIGNALED) and whose registers still hold one of their numbers is in that call. */
        if (!(p->flags & GOS_PF_SIGNALED)) {
            struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
#ifdef __TARGET_ARCH_x86
            long id = regs ? BPF_CORE_READ(regs, orig_ax) : -1;
#else
            long id = -1;
#endif
            if (id >= 0 && (id == gos_nr_exit || id == gos_nr_exit_group)) {
                /* Under the set at its entry, as full mode places a call that never returns. */
                __u32 zero = 0;
                __u64 set = entry_set(bpf_map_lookup_elem(&gos_cpus, &zero), (__u64)regs, t);
                struct gos_sys_val *v = slot(&t->c, t->tid, t->path, set, (__u32)id);
                v->calls++;
                v->untimed++;
            }
        }
        /* It stays armed: its last sched_switch still counts. Its counts in other CPUs' caches keep its thread id
         * and key until those CPUs take again or gos_flush runs. */
        struct gos_cpu *own = own_cpu(p);
        if (own) {
            flush(&own->c, own->tid);
            own->owner = 0;
        }
        flush(&t->c, t->tid);
        bump_epoch();
        /* Its open phases stay in the open set; their share goes to its process's, for an exec of the process to
         * take out (not when the process is gone: the set keeps them, below). */
        if (t->open_share && !group_dead) {
            __u32 tgid = p->tgid;
            if (bpf_map_update_elem(&gos_proc_open, &tgid, &t->open_share, BPF_NOEXIST)) {
                __u64 *share = bpf_map_lookup_elem(&gos_proc_open, &tgid);
                if (share) {
                    __sync_fetch_and_add(share, t->open_share);
                }
            }
            t->open_share = 0;
        }
        /* Its entry record goes now: a new task may reuse its pt_regs address. */
        __u32 zero = 0;
        struct gos_cpu *c = bpf_map_lookup_elem(&gos_cpus, &zero);
        if (c && c->ent_owner == (__u64)bpf_task_pt_regs(p)) {
            c->ent_owner = 0;
        }
    }
    /* Phases a killed process left open stay in the open set until the capture ends, as MarkerPhases keeps them. A
     * process leaves gos_tgids with its last thread, so that a long run's processes do not fill it. */
    if (group_dead) {
        __u32 tgid = p->tgid;
        bpf_map_delete_elem(&gos_proc_open, &tgid);
        bpf_map_delete_elem(&gos_tgids, &tgid);
    }
    return PASS_SAMPLE;
}

SEC("uprobe")
int BPF_KPROBE(gos_marker, const void *record)
{
    struct task_struct *task = bpf_get_current_task_btf();
    __u32 tgid = task->tgid, tid = task->pid;
    /* A thread with armed storage is in an armed process (its fork or its process's exec armed it), and when the
     * marker came in through the optimized probe, gos_sys_enter flagged its uprobe syscall at entry: neither the
     * process map nor the probed instruction need be read for it. */
    struct gos_thread *t = bpf_task_storage_get(&gos_threads, task, 0, 0);
    int followed = t && t->armed;
    if (!followed && !armed(tgid)) {
        return DROP_OWN_SAMPLE;
    }
    struct gos_event *e = bpf_ringbuf_reserve(&gos_events, sizeof *e, 0);
    if (!e) {
        stat(GOS_STAT_EVENTS_LOST, 1);
        return DROP_OWN_SAMPLE;
    }
    /* The checks the perf path made on a marker sample before this program was the sole reader (MarkerRecord.Read):
     * a gpuos magic, a known kind and a known class; and a depth the library can reach (one past GOS_MAX_DEPTH is a
     * begin it would refuse). A record that fails them is no gpuos marker: counted, never recorded. */
    struct gos_marker_record m;
    if (bpf_probe_read_user(&m, sizeof m, record) || m.magic != GOS_MARKER_MAGIC || m.kind < 1 || m.kind > 4 ||
        m.cls > GOS_MAX_CLASS || m.depth > GOS_MAX_DEPTH + 1) {
        stat(GOS_STAT_BAD_RECORDS, 1);
        bpf_ringbuf_discard(e, 0);
        return DROP_OWN_SAMPLE;
    }
    m.name[GOS_NAME_LEN - 1] = 0;
    stat(GOS_STAT_MARKERS, 1);
    if (!followed) {
        t = thread_of(task);
        if (!t) {
            /* No storage for the thread: its phase cannot be kept, and the marker goes unrecorded, so it is a loss. */
            stat(GOS_STAT_UNTRACKED, 1);
            bpf_ringbuf_discard(e, 0);
            return DROP_OWN_SAMPLE;
        }
        t->armed = 1;
        t->tid = tid;
        /* gos_sys_enter did not follow this thread at the entry of a uprobe syscall this marker may have come by:
         * the probed instruction tells. Hit through a trap, it is the breakpoint (0xcc); through the optimized
         * probe, a call (0xe8) into the trampoline whose uprobe syscall this program runs inside. */
        __u8 op = 0;
        bpf_probe_read_user(&op, 1, (const void *)PT_REGS_IP(ctx));
        t->probe_syscall = op == 0xe8;
    }
    /* Witness mode: the clock just before the set changes, so the change is known to lie in [bracket, now]. */
    __u64 bracket = witnessing() ? bpf_ktime_get_ns() : 0;
    __u64 before = current_set(), after = before, path = t->path, parent = 0, inst = 0;
    __u32 d = m.depth, matched = 0;
    if (m.kind == 1) {
        if (d >= 1 && d <= GOS_MAX_DEPTH && d == t->depth + 1) {
            parent = d >= 2 ? t->stack[(d - 2) & (GOS_MAX_DEPTH - 1)] : 0;
            path = gos_path_id(parent, m.name);
            t->stack[(d - 1) & (GOS_MAX_DEPTH - 1)] = path;
            inst = __sync_fetch_and_add(&gos_last_instance, 1) + 1;
            t->inst[(d - 1) & (GOS_MAX_DEPTH - 1)] = inst;
            t->depth = d;
            __u64 mix = gos_mix(inst);
            after = __sync_fetch_and_add(&gos_open_set, mix) + mix;
            t->open_share += mix; /* the thread's own: no per-process map a marker */
            matched = 1;
        } else {
            stat(d > GOS_MAX_DEPTH ? GOS_STAT_TOO_DEEP : GOS_STAT_UNMATCHED, 1);
        }
    } else if (m.kind == 2 || m.kind == 4) {
        if (d >= 1 && d <= GOS_MAX_DEPTH && d == t->depth) {
            /* The index is hidden from clang, which would drop the masks (d is known to be 1..32 here) and leave the
             * verifier unbounded ones. */
            __u32 at = d - 1;
            asm volatile("" : "+r"(at));
            parent = d >= 2 ? t->stack[(at - 1) & (GOS_MAX_DEPTH - 1)] : 0;
            path = t->stack[at & (GOS_MAX_DEPTH - 1)];
            if (gos_path_id(parent, m.name) == path) {
                t->depth = d - 1;
                inst = t->inst[at & (GOS_MAX_DEPTH - 1)];
                __u64 mix = gos_mix(inst);
                after = __sync_fetch_and_sub(&gos_open_set, mix) - mix;
                t->open_share -= mix;
                matched = 1;
            }
        }
        if (!matched) {
            stat(GOS_STAT_UNMATCHED, 1);
        }
    } else {
        parent = t->depth >= 2 ? t->stack[(t->depth - 2) & (GOS_MAX_DEPTH - 1)] : 0;
        matched = 1;
    }
    /* The marker's time is read only now that the set has changed, and the switch and fault programs read the set
     * right at their own clock, so another thread's event on another CPU is placed in the set its time places it in
     * against the marker's (the window full mode and TraceView use): a place can differ only for an event whose clock
     * read falls between this update and the read below, or between its own clock read and set read. */
    __u64 now = bpf_ktime_get_ns();
    /* The on-CPU stretch up to here ends (under the old slice's key, still in slice_path and slice_set), and goes out
     * in the record (e->oncpu_ns), not into gos_phase: a marker starts a key of its own there, so adding it took a hash
     * insert a marker. */
    __u64 slice_path = t->slice_path, slice_set = t->slice_set, oncpu_ns = 0;
    if (t->oncpu_since) {
        oncpu_ns = now - t->oncpu_since;
        t->oncpu_since = now;
    }
    /* The new slice runs under the new path and set; the thread's next syscall exit sees the new key and flushes. */
    t->path = top(t);
    t->slice_path = t->path;
    t->slice_set = after;
    /* Every CPU's cache takes again (one may hold this thread's old path); this CPU's, when the thread owns it, takes
     * the new path here, as take would at the thread's next syscall, so that the uprobe syscall this marker may have
     * come by ends on the exit's fast path. Only a cache already the thread's, under its thread id: anything else is
     * left to take. */
    __u64 epoch = __sync_fetch_and_add(&gos_epoch, 1) + 1;
    __u32 zero = 0;
    struct gos_cpu *own = bpf_map_lookup_elem(&gos_cpus, &zero);
    if (own && own->owner == (__u64)ctx && own->armed && own->tid == t->tid) {
        own->path = t->path;
        own->epoch = epoch;
    }

    e->time_ns = now;
    e->bracket_ns = bracket;
    e->path = path;
    e->parent = parent;
    e->set_before = before;
    e->set_after = after;
    e->seq = m.seq;
    e->instance = inst;
    e->kind = GOS_EV_MARKER;
    e->pid = tgid;
    e->tid = tid;
    e->parent_tid = 0;
    e->mkind = m.kind;
    e->cls = m.cls;
    e->depth = d;
    e->matched = matched;
    __builtin_memcpy(e->name, m.name, GOS_NAME_LEN);
    e->slice_path = slice_path;
    e->slice_set = slice_set;
    e->oncpu_ns = oncpu_ns;
    submit_quiet(e);
    return DROP_OWN_SAMPLE;
}

#define GOS_MAX_CPUS 1024

static long flush_cpu(__u32 cpu, void *unused)
{
    __u32 zero = 0;
    struct gos_cpu *p = bpf_map_lookup_percpu_elem(&gos_cpus, &zero, cpu);
    if (!p) {
        return 1; /* past the last possible CPU */
    }
    flush(&p->c, p->tid);
    p->owner = 0;
    return 0;
}

/* Capture end: the counts still in the CPUs' caches (on its first task) and in the caches of threads alive now (a
 * thread that exited flushed its own). Run through an iterator link only after the programs that count are detached
 * and a grace period has passed (phases-loader: membarrier(MEMBARRIER_CMD_GLOBAL)), so no program adds to a cache
 * while this empties it. */
SEC("iter/task")
int gos_flush(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;
    if (!task) {
        return 0;
    }
    if (ctx->meta->seq_num == 0) {
        bpf_loop(GOS_MAX_CPUS, flush_cpu, NULL, 0);
    }
    struct gos_thread *t = bpf_task_storage_get(&gos_threads, task, 0, 0);
    if (t && t->armed) {
        flush(&t->c, t->tid);
    }
    return 0;
}

/* Empty programs on the same tracepoints, attached alone by `phases-loader --floor`: what any raw_syscalls hook costs
 * a syscall on this kernel before a program does any work (the syscall slow path and the tracepoint call). */
SEC("tp_btf/sys_enter")
int BPF_PROG(gos_floor_enter, struct pt_regs *regs, long id) { return PASS_SAMPLE; }

SEC("tp_btf/sys_exit")
int BPF_PROG(gos_floor_exit, struct pt_regs *regs, long ret) { return PASS_SAMPLE; }

/* The same empty exit program alone: the floor of a one-program hook (gos_timing 0 attaches only gos_sys_exit). */
SEC("tp_btf/sys_exit")
int BPF_PROG(gos_floor_exit_only, struct pt_regs *regs, long ret) { return PASS_SAMPLE; }
