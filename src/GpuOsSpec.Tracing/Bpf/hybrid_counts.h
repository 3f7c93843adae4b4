/*
 * Hybrid mode's per-number counts and decode-set records, shared by the two objects that make them
 * (BpfSyscallCounter.cs says which runs when): syscall_counter.bpf.c's sys_enter and sys_exit programs, and, when the
 * gpuos markers are read, phases.bpf.c's, which then count for both so that a syscall runs one entry program and one
 * exit program, not two of each. The loader creates these maps in syscall_counter.bpf.o and hands them to
 * phases.bpf.o before its load (bpf_map__reuse_fd).
 * Loaded alone (tests/native/phases.sh, a full-mode capture), phases.bpf.o has maps of its own here: an empty
 * syscall_flags (nothing is decoded, no perf event is written) and a counts array nobody reads.
 */
#ifndef GPUOS_HYBRID_COUNTS_H
#define GPUOS_HYBRID_COUNTS_H

/* Syscall numbers at or above this are neither counted nor decoded. The loader reads it back as syscall_flags' size,
 * so this is the only place it is written. */
#define MAX_SYSCALL 512

/* The first field of a record in the perf buffer: which half of a call it is. PerfCollector reads the same numbers. */
#define MARKER_ENTER 1
#define MARKER_EXIT 2

/* syscall_flags bits, set by the loader after load from the syscall table of the machine. */
#define FLAG_DECODE 1 /* the call goes to the perf buffer, with its arguments and result */
/* Counted at entry: exit and exit_group never reach sys_exit, and rt_sigreturn's sys_exit carries no number
 * (restore_sigcontext sets orig_ax to -1). Such a call's failures are not counted (a failed rt_sigreturn kills the
 * process with SIGSEGV). */
#define FLAG_NO_RETURN 2

/* Errors are linux's -4095..-1 (the kernel's MAX_ERRNO): any other negative result is a value, such as an mmap
 * address with the top bit set. */
#define MAX_ERRNO 4095

/* Per syscall number, FLAG_* bits. An array: the verifier inlines its lookups. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, MAX_SYSCALL);
    __type(key, __u32);
    __type(value, __u32);
} syscall_flags SEC(".maps");

/* Calls of syscall n at key n, failures at key MAX_SYSCALL + n. Per CPU, so no increment races another; the loader
 * sums the CPUs when it reads. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2 * MAX_SYSCALL);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

/* One perf event per CPU (PERF_COUNT_SW_BPF_OUTPUT), plugged in by the loader. libbpf sizes it to the possible CPUs. */
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} events SEC(".maps");

/* The records PerfCollector parses: every field 8 bytes, little-endian, in this order. */
struct enter_record {
    __u64 marker; /* MARKER_ENTER */
    __u64 nr;
    __u64 args[6];
};

struct exit_record {
    __u64 marker; /* MARKER_EXIT */
    __u64 nr;
    __s64 ret;
};

static __always_inline __u32 hybrid_flags_of(__u32 nr)
{
    __u32 *flags = bpf_map_lookup_elem(&syscall_flags, &nr);
    return flags ? *flags : 0;
}

static __always_inline void hybrid_increment(__u32 key)
{
    __u64 *count = bpf_map_lookup_elem(&counts, &key);
    if (count)
        *count += 1;
}

/* A traced thread's syscall entry, NR (below MAX_SYSCALL) with FLAGS (hybrid_flags_of, nonzero): counts a call that
 * never reaches sys_exit with its number (FLAG_NO_RETURN), else hands a decode-set call's arguments, still in REGS (the
 * registers of x86-64's syscall convention), to the perf buffer. CTX is the program's context. */
#ifdef __TARGET_ARCH_x86
static __always_inline void hybrid_count_enter(void *ctx, struct pt_regs *regs, __u64 nr, __u32 flags)
{
    if (flags & FLAG_NO_RETURN) {
        hybrid_increment(nr);
        return;
    }
    struct enter_record record = {
        .marker = MARKER_ENTER,
        .nr = nr,
        .args = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 },
    };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
}
#endif

/* A traced thread's syscall exit: counts the call under NR (orig_ax, what the raw_syscalls sys_exit tracepoint reports:
 * -1, out of range here, after an rt_sigreturn, counted at entry, and after the uprobe syscall an optimized uprobe
 * enters by) and hands a decode-set call's result to the perf buffer. CTX is the program's context. */
static __always_inline void hybrid_count_exit(void *ctx, __u64 nr, long ret)
{
    if (nr >= MAX_SYSCALL)
        return;
    hybrid_increment(nr);
    if (ret < 0 && ret >= -MAX_ERRNO)
        hybrid_increment(MAX_SYSCALL + nr);
    if (!(hybrid_flags_of(nr) & FLAG_DECODE))
        return;
    struct exit_record record = { .marker = MARKER_EXIT, .nr = nr, .ret = ret };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
}

#endif
