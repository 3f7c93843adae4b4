/*
 * gpuos: a small OS-facing abstraction for GPU execution.
 *
 * Phases with a workload class, instant markers that any tracer can see at zero syscalls, and completion objects on
 * each vendor's cheapest wake-up, with an eventfd so any thread can wait on GPU work with poll or epoll beside its
 * sockets. The specification, with the cost of every call, is docs/abstraction.md.
 *
 * Every call is safe from any thread. Vendor libraries (libcuda.so.1, libOpenCL.so.1, libamdhip64.so) are loaded at
 * run time, when the first completion for that vendor is created, so the library works on machines without them.
 */
#ifndef GPUOS_H
#define GPUOS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: gpuos_mark returns a status (it returned void in 1, and names were cut instead of refused). The marker record
 * (struct gpuos_marker) is unchanged: its version is still 1. */
#define GPUOS_ABI_VERSION 2

/* Return codes. Every failing call also sets a message for gpuos_last_error() on the calling thread. */
typedef enum gpuos_status {
    GPUOS_OK = 0,
    GPUOS_EINVAL = -1,      /* a bad argument: NULL, empty or invalid name, unknown class or policy, nesting too deep */
    GPUOS_EUNBALANCED = -2, /* an end without its begin, or an end naming another phase than the innermost */
    GPUOS_ETIMEDOUT = -3,   /* a wait ran past its timeout; the message names the phase and the counts */
    GPUOS_ENOVENDOR = -4,   /* the vendor library could not be loaded; the message says which and why */
    GPUOS_EVENDOR = -5,     /* the vendor call failed; the message has the call and its error code */
    GPUOS_ESYS = -6,        /* a syscall failed; the message has it and errno */
    GPUOS_ENOTARMED = -7    /* a wait on a completion never armed */
} gpuos_status;

/* Workload classes. What each asks of the OS is in docs/abstraction.md ("Class hints"). */
typedef enum gpuos_class {
    GPUOS_CLASS_INHERIT = 0,    /* keep the enclosing phase's class (latency-critical outside any phase) */
    GPUOS_CLASS_LATENCY = 1,    /* latency-critical: SCHED_OTHER at the thread's own nice */
    GPUOS_CLASS_THROUGHPUT = 2, /* throughput: SCHED_BATCH (no wake-up preemption) */
    GPUOS_CLASS_BACKGROUND = 3  /* background: SCHED_IDLE (runs when nothing else wants the CPU) */
} gpuos_class;

/* Returns GPUOS_ABI_VERSION of the loaded library. */
int gpuos_abi_version(void);

/* The message of the last failing call on this thread ("" when none). Valid until the thread's next failing call. */
const char *gpuos_last_error(void);

/* ---- Phases ---------------------------------------------------------------------------------------------------- */

/* A phase or marker name: 1 to GPUOS_NAME_MAX bytes of UTF-8, without '/' (tracers join the names of nested phases
 * with '/' into a path) and without control characters (U+0000-U+001F, U+007F-U+009F), so that two different names
 * never become one phase and every name prints on one line. Any other name is refused with GPUOS_EINVAL, never cut. */
#define GPUOS_NAME_MAX 63

/* Opens a phase on the calling thread. Phases nest (at most 32 deep); name (see GPUOS_NAME_MAX) is copied.
 * Returns the new depth (>= 1) or a gpuos_status. Zero syscalls unless the class changes (see class hints).
 * A forked child starts with no phase open: it cannot end a phase its parent opened. */
int gpuos_phase_begin(const char *name, gpuos_class cls);

/* Closes the innermost phase. name may be NULL; when given it must be the innermost phase's name.
 * Returns the depth left (>= 0) or GPUOS_EUNBALANCED. */
int gpuos_phase_end(const char *name);

/* The calling thread's phase depth, and the innermost phase's name ("" outside any phase). */
int gpuos_phase_depth(void);
const char *gpuos_phase_current(void);

/* An instant marker: zero syscalls; a tracer attached to gpuos_probe_marker sees it. name may be NULL or "";
 * otherwise it follows GPUOS_NAME_MAX's rules. Returns GPUOS_OK, or GPUOS_EINVAL (and no marker) for a bad name. */
int gpuos_mark(const char *name);

/* Hints the library applies when a thread's class changes. Default: GPUOS_HINT_SCHED. The environment variable
 * GPUOS_HINTS (a comma list of sched, name, cgroup, or none) sets them at load. Returns the previous flags. */
#define GPUOS_HINT_SCHED 1u  /* sched_setattr: policy per class (1 syscall per change) */
#define GPUOS_HINT_NAME 2u   /* prctl(PR_SET_NAME) to "<phase>" truncated to 15 bytes (1 syscall per change) */
#define GPUOS_HINT_CGROUP 4u /* move the thread into GPUOS_CGROUP_<CLASS> (a threaded cgroup v2 dir): 3 syscalls */
unsigned gpuos_set_hints(unsigned flags);

/* Counters of what the hints did on this process, for tests and reports. */
typedef struct gpuos_hint_stats {
    uint64_t class_changes; /* times a thread's effective class changed */
    uint64_t sched_calls;   /* sched_setattr calls made */
    uint64_t sched_failures;
    uint64_t name_calls;
    uint64_t cgroup_moves;
    uint64_t cgroup_failures;
} gpuos_hint_stats;
void gpuos_get_hint_stats(gpuos_hint_stats *out);

/* ---- Markers as a tracer sees them ---------------------------------------------------------------------------- */

#define GPUOS_MARKER_MAGIC 0x534F5047u /* "GPOS" little-endian */
typedef enum gpuos_marker_kind {
    GPUOS_MARK_BEGIN = 1,
    GPUOS_MARK_END = 2,
    GPUOS_MARK_INSTANT = 3,
    GPUOS_MARK_ABANDONED = 4 /* a phase still open when its thread or the process ended, closed by the library */
} gpuos_marker_kind;

/* The record every marker passes to gpuos_probe_marker, on the caller's stack (88 bytes). An entry uprobe on
 * gpuos_probe_marker reads its fields through the first argument register (uprobe fetch arguments such as
 * +24(%di):string on x86-64), so the process itself does nothing for the tracer. */
typedef struct gpuos_marker {
    uint32_t magic;
    uint16_t version; /* 1 */
    uint16_t kind;    /* gpuos_marker_kind */
    uint32_t cls;     /* gpuos_class in effect inside the phase */
    uint32_t depth;   /* depth after a begin, before an end */
    uint64_t seq;     /* per-process marker sequence number, from 1 (again after exec and in a forked child) */
    char name[64];    /* NUL-terminated; GPUOS_NAME_MAX's rules hold */
} gpuos_marker;

/* Does nothing. Exported so that tracers attach a uprobe to it; entry probes only (a uretprobe would cost a syscall
 * per marker on x86-64 since Linux 6.11). On x86-64 its first instruction is a 5-byte nop, which Linux 6.18+ turns into
 * a call instead of a breakpoint trap; a child forked from a process whose probe was so optimized is mended by the
 * library before its first marker (gpuos.c), so a caller that forks needs nothing more. */
void gpuos_probe_marker(const gpuos_marker *marker);

/* ---- Completions ------------------------------------------------------------------------------------------------ */

typedef enum gpuos_vendor {
    GPUOS_VENDOR_MANUAL = 0, /* signalled by gpuos_completion_signal (a CPU queue, tests) */
    GPUOS_VENDOR_CUDA = 1,   /* stream = CUstream (0: the legacy default stream); its context must be current at the arm */
    GPUOS_VENDOR_OPENCL = 2, /* stream = cl_command_queue; a marker event per arm */
    GPUOS_VENDOR_HIP = 3     /* stream = hipStream_t; as CUDA, on the current device */
} gpuos_vendor;

typedef enum gpuos_wait_policy {
    GPUOS_WAIT_SPIN = 0,    /* poll until done: no syscall, burns the core (CUDA, HIP: a word the stream writes) */
    GPUOS_WAIT_PARK = 1,    /* sleep at once in the vendor's own blocking wait (MANUAL: poll(2) on the eventfd) */
    GPUOS_WAIT_ADAPTIVE = 2 /* sleep through the expected time, spin for the end, park past it; with nothing learned yet
                               on a vendor's completion, spin up to 2 ms to learn the length, then park
                               (docs/abstraction.md) */
} gpuos_wait_policy;

/* What a wait did, for tests and evaluation. */
typedef struct gpuos_wait_info {
    int32_t policy;      /* the policy asked for */
    int32_t decision;    /* 0 spin only, 1 park only, 2 spin then park, 3 already complete, 4 sleep then spin,
                            5 sleep, spin, then park */
    int64_t expected_ns; /* expected remaining time the adaptive policy used (-1: unknown) */
    int64_t spun_ns;     /* time spent spinning */
    int64_t waited_ns;   /* time in the call */
    int64_t wake_ns;     /* from the signal to the waiter seeing it (>= 0), or -1 when unknown (a vendor's work has no
                            signal time: it is seen, not signalled) */
    int32_t parks;       /* parks made: poll(2) calls, vendor blocking waits or back-off sleeps */
    int32_t sleeps;      /* the adaptive policy's sleeps through the expected time (0 or 1) */
} gpuos_wait_info;

typedef struct gpuos_completion gpuos_completion;

/* Creates a completion for a vendor, with its eventfd. NULL on failure (see gpuos_last_error). The vendor's wake-up
 * primitives are chosen here (CUDA, HIP) or at the first arm (OpenCL, per platform: NVIDIA spins on the event status,
 * parks in clWaitForEvents and arms with a fill; PoCL signals through the host callback); GPUOS_CUDA_WAKE,
 * GPUOS_HIP_WAKE and GPUOS_OPENCL_WAKE override them for measurement ("callback", or
 * "spin=word|query|status|wait,park=event|wait|backoff", and for OpenCL "arm=marker|fill"; OpenCL items separated by
 * ';' may start with a platform name's prefix and '@'). */
gpuos_completion *gpuos_completion_create(gpuos_vendor vendor);

/* Arms the completion after the work queued so far on stream (ignored for MANUAL). CUDA and HIP: a stream write of
 * the arm's number to a mapped host word and the record of an event without blocking sync (whose records wake no
 * driver thread), in the context current at the first arm (one completion per context); OpenCL: a marker event (on
 * NVIDIA's in-order queues a 4-byte fill of a gpuos buffer) and a flush. A wait waits for the latest arm. Arm from one
 * thread at a time. Returns GPUOS_OK or an error. */
int gpuos_completion_arm(gpuos_completion *c, void *stream);

/* Signals one arm: for GPUOS_VENDOR_MANUAL (and the host-callback path). Safe from any thread: one atomic add, and
 * one write(2) only when a thread is parked or the fd was handed out. */
int gpuos_completion_signal(gpuos_completion *c);

/* 1 when every arm so far is done, 0 when not. No syscall (OpenCL: one clGetEventInfo). */
int gpuos_completion_test(const gpuos_completion *c);

/* The eventfd: readable once an arm's work is done since it was last drained. Handing it out makes every arm readable
 * on it: MANUAL signals write it; for a vendor's work one gpuos thread per process ("gpuos-watch") waits on the armed
 * completions in arming order, with the adaptive policy, and writes it. After it polls readable, call
 * gpuos_completion_test (or a wait, which returns at once). */
int gpuos_completion_fd(gpuos_completion *c);

/* A hint for the next adaptive wait: the work is expected to finish expected_ns after the arm. */
void gpuos_completion_expect(gpuos_completion *c, int64_t expected_ns);

/* Waits for the latest arm. timeout_ns < 0 waits without a limit. A CUDA or HIP park records a blocking-sync event on
 * gpuos's own stream behind the arm's event and sleeps in its synchronize (the stream and event are made at the first
 * park). The vendor's blocking waits take no deadline, so a park with a timeout >= 0 on CUDA, HIP or OpenCL parks on
 * the eventfd, woken by the watcher thread (dearer: about the first design's cost). info may be NULL. */
int gpuos_completion_wait(gpuos_completion *c, gpuos_wait_policy policy, int64_t timeout_ns, gpuos_wait_info *info);

/* Arms so far, arms seen done (or signalled) so far, and signals beyond the arms (never > 0 unless a vendor fired a
 * callback twice or a caller signalled more than it armed). */
void gpuos_completion_counts(const gpuos_completion *c, uint64_t *armed, uint64_t *signalled, uint64_t *extra);

/* What the completion spins on and parks in, in words ("cuda: spin=word park=event"). Valid while c lives. */
const char *gpuos_completion_mechanism(const gpuos_completion *c);

/* Frees the completion. Work still pending keeps it alive until it is done (the watcher thread, or the last callback,
 * frees it), so destroying early never makes the device or a callback write freed memory. */
void gpuos_completion_destroy(gpuos_completion *c);

/* The adaptive policy's spin limit: expected remaining times at or under it are spun, longer ones slept through.
 * Default 50,000 ns. Returns the previous value. */
int64_t gpuos_set_spin_limit(int64_t ns);

/* How long before the expected end the adaptive policy's sleep ends: the timer slack (50 us by default on Linux) and
 * a wake-up, plus twice the learned deviation. Default 100,000 ns. Returns the previous value. */
int64_t gpuos_set_wake_margin(int64_t ns);

/* The expected duration learned for waits armed inside the named phase, over every completion (an exponential average),
 * or -1. An adaptive wait uses what its own completion's waits in the arming phase taught, not this. */
int64_t gpuos_learned_ns(const char *phase);

#ifdef __cplusplus
}
#endif
#endif
