/*
 * Layouts shared by phases.bpf.c and whoever reads its maps and ring buffer (tests/native/phases-loader.c, and the
 * C# reader once it exists). Every struct is packed by construction (8-byte fields first, no holes), little-endian.
 *
 * Two attributions of the same counts, both in every key:
 *   path: the counting thread's own innermost open gpuos phase (0: none). A path id is FNV-1a 64 over the parent's
 *         path id and the phase name (see gos_path_id), so the same nested phase has the same id in every thread and
 *         process; user space names it from the begin markers (name + parent path id).
 *   set:  the capture-wide set of open phase instances when the count was taken: the sum (mod 2^64) of
 *         gos_mix(instance) over every phase instance open anywhere in the traced tree (0: none open). An instance is
 *         one run of a phase: each matched begin takes the next number (1, 2, ...) and its end removes the same one,
 *         so a loop's steps are told apart and user space gets each run's figures. It gives the time-window view (a
 *         run holds every traced thread's events while it is open anywhere), which is what TraceView.Includes does in
 *         --mode full. Marker events carry set_before/set_after and the instance, so user space learns each set's
 *         members by chaining them from 0.
 */
#ifndef GPUOS_PHASES_H
#define GPUOS_PHASES_H

#define GOS_MAX_DEPTH 32   /* gpuos.c's MAX_DEPTH: a begin deeper than this is refused by the library */
#define GOS_MAX_SYSCALL 512
#define GOS_NAME_LEN 64
#define GOS_MAX_CLASS 3 /* gpuos_class: the last one the library sends */

/* Map gos_sys (hash): per (path, set, thread, syscall number). A call is counted at its exit, under the thread's path
 * and the open set at its entry, as full mode places a call by its entry (an execve under the image that called it;
 * exit and exit_group at the thread's exit; an exit whose entry was not seen, under the set at the exit). The counts
 * pass through a cache first (per CPU, or per thread with gos_timing 1; phases.bpf.c) and reach gos_sys when the key
 * changes, when another thread's exit takes the CPU, at exec and at exit; a thread's counts can stay in a CPU's cache
 * after it exits. So read gos_sys only after the capture's final flush: detach the programs that count, wait a grace
 * period, run the gos_flush iterator once (tests/native/phases-loader.c's final_flush). Read live, it lags; it is exact
 * after the flush. */
struct gos_sys_key {
    __u64 path;
    __u64 set;
    __u32 tid;
    __u32 nr;
};
struct gos_sys_val {
    __u64 calls;   /* completed calls, and exit/exit_group at entry */
    __u64 errors;  /* returns in [-4095, -1] */
    __u64 time_ns; /* entry to exit, summed over the timed calls (0 when gos_timing is 0) */
    __u64 untimed; /* calls counted without a time: every call when gos_timing is 0 (the default); else
                      exit/exit_group, and exits whose entry was not seen (the root's execve, whose entry came before the
                      process was armed, and a new thread's or child's return from clone) */
};

/* Map gos_phase (hash): per (path, set, thread). */
struct gos_phase_key {
    __u64 path;
    __u64 set;
    __u32 tid;
    __u32 zero;
};
struct gos_phase_val {
    __u64 voluntary;    /* sched_switch away while blocked (the kernel's nvcsw) */
    __u64 involuntary;  /* sched_switch away while still runnable: preempted or yielding (nivcsw) */
    __u64 faults_minor; /* PERF_COUNT_SW_PAGE_FAULTS_MIN, as --mode full samples them */
    __u64 faults_major; /* PERF_COUNT_SW_PAGE_FAULTS_MAJ */
    __u64 oncpu_ns;     /* on-CPU time, split at this thread's own switches and exec; the stretch a marker ends is
                           in that marker's record (gos_event's oncpu_ns), which a reader adds under its slice_set */
};

/* Map gos_stats (per-CPU array, sum over CPUs): what the reader must know before trusting the maps. */
enum gos_stat {
    GOS_STAT_MARKERS = 0,        /* marker records read */
    GOS_STAT_BAD_RECORDS = 1,    /* hits whose record could not be read or was not a gpuos marker */
    GOS_STAT_UNMATCHED = 2,      /* begins one deeper than the thread's stack was not, and ends that match no open
                                    phase on their thread (ignored, as MarkerPhases ignores such ends) */
    GOS_STAT_TOO_DEEP = 3,       /* begins past GOS_MAX_DEPTH (ignored) */
    GOS_STAT_PROBE_SYSCALLS = 4, /* uprobe (336) and uretprobe (335) entries: an optimized probe's way in, left out */
    GOS_STAT_MAP_FULL = 5,       /* counts lost because gos_sys or gos_phase was full: nonzero means the maps are
                                    not exact */
    GOS_STAT_EVENTS_LOST = 6,    /* ring buffer records lost (full): nonzero means phases are missing */
    GOS_STAT_EXEC_CLOSED = 7,    /* phase instances an exec closed (the old image left them open) */
    GOS_STAT_UNTRACKED = 8,      /* new processes of the traced tree gos_tgids had no room for, and armed threads
                                    (or marking threads) that got no task storage: nothing of theirs was counted, and
                                    such a thread's marker was not recorded (nonzero means the maps, hybrid mode's
                                    per-number counts and its phases are short) */
    GOS_STAT_COUNT = 9,
};

/* Ring buffer gos_events records. An activity record (witness mode) has time_ns, pid, tid, path (the thread's),
 * set_after (the set it was counted under; set_before the same), mkind (gos_activity_kind) and bracket_ns. */
enum gos_event_kind {
    GOS_EV_MARKER = 1,
    GOS_EV_FORK = 2, /* a new process (not a thread) in the traced tree */
    GOS_EV_EXEC = 3, /* an armed process's exec; every phase it had open is closed (set_before -> set_after) */
    GOS_EV_ACTIVITY = 4, /* witness mode only (gos_witness): one counted switch or fault, where it was counted */
};
/* An activity record's mkind: which count it added to. */
enum gos_activity_kind {
    GOS_ACT_VOLUNTARY = 1,
    GOS_ACT_INVOLUNTARY = 2,
    GOS_ACT_FAULT_MINOR = 3,
    GOS_ACT_FAULT_MAJOR = 4,
};

/* In hybrid mode a marker's record is the trace's only reading of that marker (no perf sample is made of it): it
 * carries everything the marker's perf sample did (time, thread, kind, class, depth, sequence number, name). */
struct gos_event {
    __u64 time_ns; /* bpf_ktime_get_ns: CLOCK_MONOTONIC, as the perf events (use_clockid) stamp theirs */
    __u64 path;    /* marker: begin -> the new phase, end/abandoned -> the phase closed, instant -> innermost open */
    __u64 parent;  /* marker: the parent path of `path` (0 at the top) */
    __u64 set_before;
    __u64 set_after;
    __u64 seq;     /* marker: the record's seq */
    __u64 instance; /* marker: the instance a matched begin opened or a matched end closed (0: none) */
    __u32 kind;    /* gos_event_kind */
    __u32 pid;
    __u32 tid;
    __u32 parent_tid; /* fork: the forking thread */
    __u32 mkind;      /* marker: gpuos_marker_kind */
    __u32 cls;
    __u32 depth;
    __u32 matched;    /* marker: 1 when it changed the thread's stack as the library did (0: unmatched end, too deep) */
    char name[GOS_NAME_LEN];
    /* marker: the thread's on-CPU stretch the marker ended (0: none known, the thread was not seen going on its CPU),
     * begun under path slice_path and set slice_set. It belongs in gos_phase's oncpu_ns under (slice_path, slice_set,
     * tid): the marker hands it over here rather than add it there, which took a hash insert a marker (a marker starts
     * a key of its own). */
    __u64 slice_path;
    __u64 slice_set;
    __u64 oncpu_ns;
    /* Witness mode only (0 otherwise): the other clock read around the open set's access, so the access is known to
     * lie between two clock reads. A marker: read just before the set changed (the change lies in [bracket_ns,
     * time_ns]); an activity record: read just after the set was read (the read lies in [time_ns, bracket_ns]). */
    __u64 bracket_ns;
};

/* The record gpuos_probe_marker receives (gpuos.h's struct gpuos_marker, version 1). */
struct gos_marker_record {
    __u32 magic;
    __u16 version;
    __u16 kind;
    __u32 cls;
    __u32 depth;
    __u64 seq;
    char name[GOS_NAME_LEN];
};

#define GOS_MARKER_MAGIC 0x534F5047u
#define GOS_FNV_OFFSET 0xcbf29ce484222325ull
#define GOS_FNV_PRIME 0x100000001b3ull

/* splitmix64's finalizer: spreads a path id before it is summed into a set, so sums of different multisets differ. */
static inline __u64 gos_mix(__u64 x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* A phase's path id: FNV-1a 64 over the parent's path id (8 bytes, little-endian), '/', and the name up to its NUL.
 * Never 0 (0 means "no phase"). */
static inline __u64 gos_path_id(__u64 parent, const char *name)
{
    __u64 h = GOS_FNV_OFFSET;
    for (int i = 0; i < 8; i++) {
        h ^= (parent >> (8 * i)) & 0xff;
        h *= GOS_FNV_PRIME;
    }
    h ^= '/';
    h *= GOS_FNV_PRIME;
    for (int i = 0; i < GOS_NAME_LEN; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!c) {
            break;
        }
        h ^= c;
        h *= GOS_FNV_PRIME;
    }
    return h ? h : 1;
}

#endif
