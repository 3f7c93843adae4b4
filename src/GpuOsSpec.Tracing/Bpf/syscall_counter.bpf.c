// SPDX-License-Identifier: GPL-2.0
//
// Hybrid mode's in-kernel half (BpfSyscallCounter.cs loads it), in the manner of bcc's syscount: the raw_syscalls
// programs count every syscall of the traced process tree per number, and its failures, in a per-CPU array, and hand
// the decode-set calls, with their arguments and results, to per-CPU perf buffers that PerfCollector reads. Two more
// programs follow the tree: fork adds the child, exec arms a process, so the launcher's own syscalls before its exec
// are never counted.
//
// Every program returns PASS_SAMPLE (1). A tracepoint program's return value is shared by every perf user of that
// tracepoint: the kernel (perf_trace_run_bpf_submit) drops the sample for all of them when any attached program
// returns 0. Returning 0 here blinded every other capture on the machine, ours in full mode and `perf stat` alike.
//
// The license is GPL because bpf_perf_event_output and bpf_get_current_pid_tgid are GPL-only helpers.

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

// What each program returns: 1 lets the kernel deliver the tracepoint's sample to other perf users (see above).
#define PASS_SAMPLE 1

// Syscall numbers at or above this are neither counted nor decoded. The loader reads it back as syscall_flags' size,
// so this is the only place it is written.
#define MAX_SYSCALL 512

// The first field of a record in the perf buffer: which half of a call it is. PerfCollector reads the same numbers.
#define MARKER_ENTER 1
#define MARKER_EXIT 2

// syscall_flags bits, set by the loader after load from the syscall table of the machine.
#define FLAG_DECODE 1    // the call goes to the perf buffer, with its arguments and result
// Counted at entry: exit and exit_group never reach sys_exit, and rt_sigreturn's sys_exit carries the syscall number
// of the registers it restored (-1 for a signal taken outside a syscall), not its own. Such a call's failures are not
// counted (a failed rt_sigreturn kills the process with SIGSEGV).
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

SEC("tracepoint/raw_syscalls/sys_enter")
int gos_enter(struct trace_event_raw_sys_enter *ctx)
{
    if (!armed_process())
        return PASS_SAMPLE;
    // Unsigned, so that a negative id (a syscall(-1)) is out of range too.
    u64 nr = ctx->id;
    if (nr >= MAX_SYSCALL)
        return PASS_SAMPLE;
    u32 flags = flags_of(nr);
    if (flags & FLAG_NO_RETURN) {
        increment(nr);
        return PASS_SAMPLE;
    }
    if (!(flags & FLAG_DECODE))
        return PASS_SAMPLE;
    // One load per argument, each at its own constant offset: the verifier refuses a load through a ctx pointer that
    // was moved (a loop over args would move it once and index from there).
    struct enter_record record = {
        .marker = MARKER_ENTER,
        .nr = nr,
        .args = { ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], ctx->args[4], ctx->args[5] },
    };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
    return PASS_SAMPLE;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int gos_exit(struct trace_event_raw_sys_exit *ctx)
{
    if (!armed_process())
        return PASS_SAMPLE;
    u64 nr = ctx->id;
    if (nr >= MAX_SYSCALL)
        return PASS_SAMPLE;
    s64 ret = ctx->ret;
    increment(nr);
    if (ret < 0 && ret >= -MAX_ERRNO)
        increment(MAX_SYSCALL + nr);
    if (!(flags_of(nr) & FLAG_DECODE))
        return PASS_SAMPLE;
    struct exit_record record = { .marker = MARKER_EXIT, .nr = nr, .ret = ret };
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &record, sizeof(record));
    return PASS_SAMPLE;
}

// The forking task is current. The child inherits its parent's armed state: a child forked before the root's exec
// (none is, but the launcher could) stays unarmed until it execs itself.
SEC("tracepoint/sched/sched_process_fork")
int gos_fork(struct trace_event_raw_sched_process_fork *ctx)
{
    u32 parent = bpf_get_current_pid_tgid() >> 32;
    u32 *armed = bpf_map_lookup_elem(&tgids, &parent);
    if (!armed)
        return PASS_SAMPLE;
    // The field's offset comes from the running kernel's BTF (CO-RE): it moved when comm became a __data_loc string.
    u32 child = ctx->child_pid;
    u32 state = *armed;
    bpf_map_update_elem(&tgids, &child, &state, BPF_ANY);
    return PASS_SAMPLE;
}

// A tracked process that execs is armed: counting starts with the command's own exec, as the perf events' enable-on-exec
// does.
SEC("tracepoint/sched/sched_process_exec")
int gos_exec(void *ctx)
{
    u32 tgid = bpf_get_current_pid_tgid() >> 32;
    u32 *armed = bpf_map_lookup_elem(&tgids, &tgid);
    if (armed)
        *armed = 1;
    return PASS_SAMPLE;
}
