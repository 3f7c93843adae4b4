/*
 * Layouts shared by api.bpf.c and its reader (Sources/Perf/KernelApiCounter.cs, KernelApiRecord.cs). Every struct is
 * packed by construction (8-byte fields first, no holes), little-endian.
 */
#ifndef GPUOS_API_H
#define GPUOS_API_H

/* Open API calls kept per thread: the probed entry points of one library rarely nest more than two deep (a loader
 * calling its own exported function). A call past this depth is not kept; api_stats counts it as a loss. */
#define API_MAX_DEPTH 16

/* Ring buffer api_calls: one record per API call, written at its return (or, for a call still open, at its thread's
 * exit or by the api_flush iterator at the capture's end, with end_ns 0). */
struct api_call {
    __u64 start_ns; /* bpf_ktime_get_ns at the entry probe: CLOCK_MONOTONIC, as the perf samples' use_clockid */
    __u64 end_ns;   /* at the return probe; 0: the call had not returned */
    __u32 function; /* the probe's bpf cookie: the function's index in the reader's list */
    __u32 pid;
    __u32 tid;
    __u32 syscalls; /* syscalls entered while this was the thread's innermost open call (the probes' own left out) */
    __u32 ioctls;   /* of which ioctl */
    __u32 voluntary;   /* switches away while blocked */
    __u32 involuntary; /* switches away while still runnable */
    __u32 faults;      /* page faults on user addresses (exceptions:page_fault_user/_kernel) */
};

/* Map api_stats (per-CPU array, sum over CPUs). */
enum api_stat {
    API_STAT_CALLS = 0,          /* records written */
    API_STAT_EVENTS_LOST = 1,    /* records lost: the ring buffer was full */
    API_STAT_TOO_DEEP = 2,       /* entries past API_MAX_DEPTH (their calls and counts are not kept apart) */
    API_STAT_UNMATCHED = 3,      /* returns with no open call of their function on the thread */
    API_STAT_PROBE_SYSCALLS = 4, /* uprobe (336) and uretprobe (335) syscalls inside calls, left out */
    API_STAT_NO_STORAGE = 5,     /* entries whose thread state could not be created (kernel memory) */
    API_STAT_COUNT = 6,
};

#endif
