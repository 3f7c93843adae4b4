/* phases-loader: loads src/GpuOsSpec.Tracing/Bpf/phases.bpf.c with plain libbpf (as bcc's libbpf-tools do), runs a
 * command under it and prints the per-phase figures the kernel summed. Built by tests/native/phases.sh.
 *
 * Usage: phases-loader [--lib LIBGPUOS] [--untraced | --floor | --floor-exit | --perf N] [--timing] [--quiet] [--markers] [--threads]
 *                     -- COMMAND [ARGS...]
 *   --lib       the libgpuos.so whose gpuos_probe_marker gets the uprobe (every process mapping that file is seen)
 *   --untraced  load nothing: run the command and print its wall time only (the baseline for overhead runs)
 *   --floor     attach only the two empty syscall programs: the cost of any raw_syscalls hook, for overhead runs
 *   --floor-exit  attach only one empty sys_exit program: the floor of the default (untimed) mode
 *   --perf N    load nothing; count raw_syscalls:sys_enter (N=1) or sys_enter and sys_exit (N=2) in the command with
 *               perf counters (perf_event_open, inherited), as `perf stat -e raw_syscalls:sys_enter` does: the anchor
 *   --timing    gos_timing 1: gos_sys_enter times each syscall too (without it every call is untimed)
 *   --quiet     print only the wall time and the stats
 *
 * Output, one fact per line (tests/native/phases.sh reads them):
 *   W <wall ns of the command, fork to exit>
 *   S <stat name> <value>                          gos_stats summed over CPUs; events (records received),
 *                                                  unresolved_sets, recursion_misses (program runs the kernel skipped)
 *   T thread <path> <nr> <calls> <errors> <untimed> <time_ns>   per thread's own innermost phase, over threads
 *   T window <path> ...                                         per phase open anywhere (the time-window view)
 *   P thread|window <path> <voluntary> <involuntary> <minflt> <majflt> <oncpu_ns>
 *   R <instance> <path> <nr> <calls>                syscalls in one run's window (instances number the runs: 1, 2...)
 *   M <pid> <tid> <kind> <depth> <path>             with --markers: every marker, in ring-buffer order
 *   H <tid> <nr> <calls>                            with --threads: calls per thread and number, over paths and sets
 * <path> is the phase path joined with '/', "-" for none. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "phases.h"
#include "phases.skel.h"

static struct gos_event *g_events;
static size_t g_count, g_cap;

static int on_event(void *ctx, void *data, size_t size)
{
    (void)ctx;
    if (size < sizeof(struct gos_event)) {
        return 0;
    }
    if (g_count == g_cap) {
        g_cap = g_cap ? g_cap * 2 : 4096;
        g_events = realloc(g_events, g_cap * sizeof *g_events);
        if (!g_events) {
            return -ENOMEM;
        }
    }
    memcpy(&g_events[g_count++], data, sizeof(struct gos_event));
    return 0;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- Path names, from begin markers ---------------------------------------------------------------------------- */

struct path_name {
    __u64 id, parent;
    char name[GOS_NAME_LEN];
};
static struct path_name g_paths[4096];
static int g_npaths;

static void learn_path(__u64 id, __u64 parent, const char *name)
{
    for (int i = 0; i < g_npaths; i++) {
        if (g_paths[i].id == id) {
            return;
        }
    }
    if (g_npaths < 4096) {
        g_paths[g_npaths].id = id;
        g_paths[g_npaths].parent = parent;
        snprintf(g_paths[g_npaths].name, GOS_NAME_LEN, "%s", name);
        g_npaths++;
    }
}

static const char *path_text(__u64 id, char *out, size_t n)
{
    if (id == 0) {
        return "-";
    }
    for (int i = 0; i < g_npaths; i++) {
        if (g_paths[i].id == id) {
            if (g_paths[i].parent == 0) {
                snprintf(out, n, "%s", g_paths[i].name);
            } else {
                char up[1024];
                snprintf(out, n, "%s/%s", path_text(g_paths[i].parent, up, sizeof up), g_paths[i].name);
            }
            return out;
        }
    }
    snprintf(out, n, "?%016llx", (unsigned long long)id);
    return out;
}

/* ---- Open sets: value -> the phase instances open (phases.h), each with its path id ----------------------------- */

#define SET_MAX_MEMBERS 64
struct set_members {
    __u64 value;
    int n;
    __u64 inst[SET_MAX_MEMBERS];
    __u64 paths[SET_MAX_MEMBERS];
};
/* Every run of a phase is a new set (a storm of 100,000 runs makes 100,000), so the sets are found through a hash
 * index (open addressing on the value) and each resolving pass is linear in the events. */
#define SET_INDEX_BITS 21
static struct set_members *g_sets;
static int g_nsets, g_capsets;
static int *g_set_index; /* 1 + index into g_sets, 0: empty slot */

static struct set_members *find_set(__u64 value)
{
    if (!g_set_index) {
        return NULL;
    }
    for (__u64 h = gos_mix(value);; h++) {
        int i = g_set_index[h & ((1u << SET_INDEX_BITS) - 1)];
        if (!i) {
            return NULL;
        }
        if (g_sets[i - 1].value == value) {
            return &g_sets[i - 1];
        }
    }
}

static void add_set(const struct set_members *s)
{
    if (!g_set_index) {
        g_set_index = calloc(1u << SET_INDEX_BITS, sizeof *g_set_index);
        add_set(&(struct set_members){0}); /* the empty set, value 0 */
    }
    if (find_set(s->value) || g_nsets >= (1 << (SET_INDEX_BITS - 1))) {
        return;
    }
    if (g_nsets == g_capsets) {
        g_capsets = g_capsets ? 2 * g_capsets : 1024;
        g_sets = realloc(g_sets, (size_t)g_capsets * sizeof *g_sets);
    }
    g_sets[g_nsets++] = *s;
    for (__u64 h = gos_mix(s->value);; h++) {
        int *slot = &g_set_index[h & ((1u << SET_INDEX_BITS) - 1)];
        if (!*slot) {
            *slot = g_nsets;
            return;
        }
    }
}

static __u64 sum_of(const __u64 *inst, int n)
{
    __u64 v = 0;
    for (int i = 0; i < n; i++) {
        v += gos_mix(inst[i]);
    }
    return v;
}

/* An exec takes its process's instances out: the sub-multiset of before whose sum is after (sets are small). */
static int subset_for(const struct set_members *before, __u64 after, struct set_members *out)
{
    int n = before->n;
    if (n > 20) {
        return -1;
    }
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        out->n = 0;
        for (int i = 0; i < n; i++) {
            if (mask & (1u << i)) {
                out->inst[out->n] = before->inst[i];
                out->paths[out->n++] = before->paths[i];
            }
        }
        if (sum_of(out->inst, out->n) == after) {
            out->value = after;
            return 0;
        }
    }
    return -1;
}

/* Learns every set value's members by chaining marker and exec events from the empty set. */
static void resolve_sets(void)
{
    add_set(&(struct set_members){0});
    int progress = 1;
    while (progress) {
        progress = 0;
        for (size_t i = 0; i < g_count; i++) {
            struct gos_event *e = &g_events[i];
            if (e->set_before == e->set_after || find_set(e->set_after)) {
                continue;
            }
            struct set_members *b = find_set(e->set_before);
            if (!b) {
                continue;
            }
            struct set_members next = *b;
            next.value = e->set_after;
            if (e->kind == GOS_EV_MARKER && e->mkind == 1 && next.n < SET_MAX_MEMBERS) {
                next.inst[next.n] = e->instance;
                next.paths[next.n++] = e->path;
            } else if (e->kind == GOS_EV_MARKER && (e->mkind == 2 || e->mkind == 4)) {
                for (int k = 0; k < next.n; k++) {
                    if (next.inst[k] == e->instance) {
                        next.n--;
                        next.inst[k] = next.inst[next.n];
                        next.paths[k] = next.paths[next.n];
                        break;
                    }
                }
            } else if (e->kind == GOS_EV_EXEC) {
                if (subset_for(b, e->set_after, &next) != 0) {
                    continue;
                }
            }
            if (sum_of(next.inst, next.n) != next.value) {
                fprintf(stderr, "phases-loader: set %016llx does not add up\n", (unsigned long long)next.value);
                continue;
            }
            add_set(&next);
            progress = 1;
        }
    }
}

/* ---- Aggregation ------------------------------------------------------------------------------------------------ */

struct sys_row {
    int window;
    __u64 path;
    __u32 nr;
    struct gos_sys_val v;
};
struct phase_row {
    int window;
    __u64 path;
    struct gos_phase_val v;
};
static struct sys_row g_sys[65536];
static int g_nsys;
static struct phase_row g_phase[8192];
static int g_nphase;
static long g_unresolved;
struct tid_row {
    __u32 tid, nr;
    __u64 calls;
};
static struct tid_row g_tids[65536];
static int g_ntids;

static void add_tid(__u32 tid, __u32 nr, __u64 calls)
{
    int i;
    for (i = 0; i < g_ntids; i++) {
        if (g_tids[i].tid == tid && g_tids[i].nr == nr) {
            break;
        }
    }
    if (i == g_ntids) {
        if (g_ntids == 65536) {
            return;
        }
        g_ntids++;
        g_tids[i].tid = tid;
        g_tids[i].nr = nr;
        g_tids[i].calls = 0;
    }
    g_tids[i].calls += calls;
}

/* Per run: syscalls per (instance, number) in the run's time window. */
struct run_row {
    __u64 inst, path;
    __u32 nr;
    __u64 calls;
};
static struct run_row g_runs[65536];
static int g_nruns;

static void add_run(__u64 inst, __u64 path, __u32 nr, __u64 calls)
{
    int i;
    for (i = 0; i < g_nruns; i++) {
        if (g_runs[i].inst == inst && g_runs[i].nr == nr) {
            break;
        }
    }
    if (i == g_nruns) {
        if (g_nruns == 65536) {
            return;
        }
        g_runs[g_nruns++] = (struct run_row){.inst = inst, .path = path, .nr = nr};
    }
    g_runs[i].calls += calls;
}

static void add_sys(int window, __u64 path, __u32 nr, const struct gos_sys_val *v)
{
    int i;
    for (i = 0; i < g_nsys; i++) {
        if (g_sys[i].window == window && g_sys[i].path == path && g_sys[i].nr == nr) {
            break;
        }
    }
    if (i == g_nsys) {
        if (g_nsys == 65536) {
            return;
        }
        memset(&g_sys[g_nsys++], 0, sizeof g_sys[0]);
        g_sys[i].window = window;
        g_sys[i].path = path;
        g_sys[i].nr = nr;
    }
    g_sys[i].v.calls += v->calls;
    g_sys[i].v.errors += v->errors;
    g_sys[i].v.time_ns += v->time_ns;
    g_sys[i].v.untimed += v->untimed;
}

static void add_phase(int window, __u64 path, const struct gos_phase_val *v)
{
    int i;
    for (i = 0; i < g_nphase; i++) {
        if (g_phase[i].window == window && g_phase[i].path == path) {
            break;
        }
    }
    if (i == g_nphase) {
        if (g_nphase == 8192) {
            return;
        }
        memset(&g_phase[g_nphase++], 0, sizeof g_phase[0]);
        g_phase[i].window = window;
        g_phase[i].path = path;
    }
    g_phase[i].v.voluntary += v->voluntary;
    g_phase[i].v.involuntary += v->involuntary;
    g_phase[i].v.faults_minor += v->faults_minor;
    g_phase[i].v.faults_major += v->faults_major;
    g_phase[i].v.oncpu_ns += v->oncpu_ns;
}

/* Each distinct path of the set once (a phase counts an event once, however many of its runs are open). */
static int distinct(const struct set_members *s, __u64 *out)
{
    int n = 0;
    for (int i = 0; i < s->n; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++) {
            seen |= out[k] == s->paths[i];
        }
        if (!seen) {
            out[n++] = s->paths[i];
        }
    }
    return n;
}

/* Switches, faults and on-CPU time counted under (path, set): in the thread view and in every phase of the set. */
static void add_activity(__u64 path, __u64 set, const struct gos_phase_val *v)
{
    add_phase(0, path, v);
    struct set_members *s = find_set(set);
    if (!s) {
        g_unresolved++;
        return;
    }
    __u64 paths[SET_MAX_MEMBERS];
    int n = distinct(s, paths);
    if (n == 0) {
        add_phase(1, 0, v);
    }
    for (int i = 0; i < n; i++) {
        add_phase(1, paths[i], v);
    }
}

static void read_maps(struct phases_bpf *skel)
{
    int fd = bpf_map__fd(skel->maps.gos_sys);
    struct gos_sys_key key, next, *prev = NULL;
    struct gos_sys_val val;
    while (bpf_map_get_next_key(fd, prev, &next) == 0) {
        if (bpf_map_lookup_elem(fd, &next, &val) == 0) {
            add_sys(0, next.path, next.nr, &val);
            add_tid(next.tid, next.nr, val.calls);
            struct set_members *s = find_set(next.set);
            if (!s) {
                g_unresolved++;
            } else {
                __u64 paths[SET_MAX_MEMBERS];
                int n = distinct(s, paths);
                if (n == 0) {
                    add_sys(1, 0, next.nr, &val);
                }
                for (int i = 0; i < s->n; i++) {
                    add_run(s->inst[i], s->paths[i], next.nr, val.calls);
                }
                for (int i = 0; i < n; i++) {
                    add_sys(1, paths[i], next.nr, &val);
                }
            }
        }
        key = next;
        prev = &key;
    }
    fd = bpf_map__fd(skel->maps.gos_phase);
    struct gos_phase_key pkey, pnext, *pprev = NULL;
    struct gos_phase_val pval;
    while (bpf_map_get_next_key(fd, pprev, &pnext) == 0) {
        if (bpf_map_lookup_elem(fd, &pnext, &pval) == 0) {
            add_activity(pnext.path, pnext.set, &pval);
        }
        pkey = pnext;
        pprev = &pkey;
    }
    /* The on-CPU stretches markers ended, which their records carry instead of gos_phase (phases.h). */
    for (size_t i = 0; i < g_count; i++) {
        struct gos_event *e = &g_events[i];
        if (e->kind == GOS_EV_MARKER && e->oncpu_ns) {
            struct gos_phase_val slice = {.oncpu_ns = e->oncpu_ns};
            add_activity(e->slice_path, e->slice_set, &slice);
        }
    }
}

static const char *stat_names[GOS_STAT_COUNT] = {"markers", "bad_records", "unmatched", "too_deep", "probe_syscalls",
    "map_full", "events_lost", "exec_closed", "untracked"};

static void print_stats(struct phases_bpf *skel)
{
    int ncpu = libbpf_num_possible_cpus();
    __u64 *per = calloc((size_t)ncpu, sizeof *per);
    for (__u32 k = 0; k < GOS_STAT_COUNT; k++) {
        __u64 sum = 0;
        if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.gos_stats), &k, per) == 0) {
            for (int c = 0; c < ncpu; c++) {
                sum += per[c];
            }
        }
        printf("S %s %llu\n", stat_names[k], (unsigned long long)sum);
    }
    free(per);
    /* A program run the kernel skipped (it was already running on that CPU: a program preempted inside, on kernels
     * whose syscall tracepoints run preemptibly) counted nothing: the figures are not exact when this is nonzero. */
    __u64 misses = 0;
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, skel->obj) {
        struct bpf_prog_info info = {0};
        __u32 len = sizeof info;
        if (bpf_program__fd(prog) >= 0 && bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0) {
            misses += info.recursion_misses;
        }
    }
    printf("S recursion_misses %llu\n", (unsigned long long)misses);
    printf("S events %zu\n", g_count);
    printf("S unresolved_sets %ld\n", g_unresolved);
}

static int open_fault_event(int cpu, __u64 config)
{
    struct perf_event_attr attr = {0};
    attr.type = PERF_TYPE_SOFTWARE;
    attr.size = sizeof attr;
    attr.config = config;
    attr.sample_period = 1;
    return (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A counting perf event on a tracepoint for one process and its descendants (what perf stat opens). */
static int open_tracepoint_counter(const char *name, pid_t pid)
{
    char path[256];
    snprintf(path, sizeof path, "/sys/kernel/tracing/events/%s/id", name);
    FILE *f = fopen(path, "r");
    unsigned long long id = 0;
    if (!f || fscanf(f, "%llu", &id) != 1) {
        fprintf(stderr, "phases-loader: no tracepoint id in %s\n", path);
        exit(1);
    }
    fclose(f);
    struct perf_event_attr attr = {0};
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = id;
    attr.inherit = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "phases-loader: perf_event_open %s: %s\n", name, strerror(errno));
        exit(1);
    }
    return fd;
}

/* Empties the caches of threads still alive into gos_sys: detach what counts, wait out any program still running
 * (they run under RCU; MEMBARRIER_CMD_GLOBAL waits a grace period), then run gos_flush over every task. */
static int final_flush(struct phases_bpf *skel)
{
    phases_bpf__detach(skel);
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) != 0) {
        fprintf(stderr, "phases-loader: membarrier: %s\n", strerror(errno));
        return -1;
    }
    struct bpf_link *link = bpf_program__attach_iter(skel->progs.gos_flush, NULL);
    if (!link) {
        fprintf(stderr, "phases-loader: gos_flush iterator: %s\n", strerror(errno));
        return -1;
    }
    int fd = bpf_iter_create(bpf_link__fd(link));
    char buf[64];
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0) {
    }
    if (fd >= 0) {
        close(fd);
    }
    bpf_link__destroy(link);
    return fd >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *lib = NULL;
    int untraced = 0, quiet = 0, markers = 0, threads = 0, floor_only = 0, floor_exit = 0, perf = 0, timing = 0, a = 1;
    for (; a < argc; a++) {
        if (!strcmp(argv[a], "--lib") && a + 1 < argc) {
            lib = argv[++a];
        } else if (!strcmp(argv[a], "--perf") && a + 1 < argc) {
            perf = atoi(argv[++a]);
            untraced = 1;
        } else if (!strcmp(argv[a], "--timing")) {
            timing = 1;
        } else if (!strcmp(argv[a], "--floor-exit")) {
            floor_only = floor_exit = 1;
        } else if (!strcmp(argv[a], "--floor")) {
            floor_only = 1;
        } else if (!strcmp(argv[a], "--untraced")) {
            untraced = 1;
        } else if (!strcmp(argv[a], "--quiet")) {
            quiet = 1;
        } else if (!strcmp(argv[a], "--markers")) {
            markers = 1;
        } else if (!strcmp(argv[a], "--threads")) {
            threads = 1;
        } else if (!strcmp(argv[a], "--")) {
            a++;
            break;
        } else {
            break;
        }
    }
    if (a >= argc) {
        fprintf(stderr, "usage: phases-loader [--lib LIBGPUOS] [--untraced | --floor | --floor-exit | --perf N] [--timing] [--quiet] [--markers] [--threads] -- COMMAND [ARGS...]\n");
        return 2;
    }

    struct phases_bpf *skel = NULL;
    struct ring_buffer *rb = NULL;
    if (!untraced) {
        skel = phases_bpf__open();
        if (!skel) {
            fprintf(stderr, "phases-loader: opening phases.bpf.o failed (%s)\n", strerror(errno));
            return 1;
        }
        skel->rodata->gos_timing = (__u32)timing;
        struct bpf_program *prog;
        bpf_object__for_each_program(prog, skel->obj) {
            int floor_prog = floor_exit ? prog == skel->progs.gos_floor_exit_only
                                        : prog == skel->progs.gos_floor_enter || prog == skel->progs.gos_floor_exit;
            int counting = prog != skel->progs.gos_floor_enter && prog != skel->progs.gos_floor_exit &&
                prog != skel->progs.gos_floor_exit_only && prog != skel->progs.gos_flush;
            bpf_program__set_autoattach(prog, floor_only ? floor_prog : counting);
        }
        if (phases_bpf__load(skel) != 0) {
            fprintf(stderr, "phases-loader: loading phases.bpf.o failed (%s)\n", strerror(errno));
            return 1;
        }
        if (phases_bpf__attach(skel) != 0) {
            fprintf(stderr, "phases-loader: attaching the tracepoint programs failed (%s)\n", strerror(errno));
            return 1;
        }
        if (floor_only) {
            lib = NULL;
        }
        if (lib) {
            LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "gpuos_probe_marker");
            /* pid -1: every process that maps the file; gos_marker filters by gos_tgids. */
            if (!bpf_program__attach_uprobe_opts(skel->progs.gos_marker, -1, lib, 0, &uo)) {
                fprintf(stderr, "phases-loader: the uprobe on %s:gpuos_probe_marker failed (%s)\n", lib, strerror(errno));
                return 1;
            }
        }
        int ncpu = floor_only ? 0 : libbpf_num_possible_cpus();
        for (int c = 0; c < ncpu; c++) {
            int fmin = open_fault_event(c, PERF_COUNT_SW_PAGE_FAULTS_MIN);
            int fmaj = open_fault_event(c, PERF_COUNT_SW_PAGE_FAULTS_MAJ);
            if (fmin < 0 || fmaj < 0) {
                continue; /* an offline CPU */
            }
            if (!bpf_program__attach_perf_event(skel->progs.gos_fault_minor, fmin) ||
                !bpf_program__attach_perf_event(skel->progs.gos_fault_major, fmaj)) {
                fprintf(stderr, "phases-loader: attaching the fault programs on CPU %d failed (%s)\n", c, strerror(errno));
                return 1;
            }
        }
        rb = ring_buffer__new(bpf_map__fd(skel->maps.gos_events), on_event, NULL, NULL);
        if (!rb) {
            fprintf(stderr, "phases-loader: ring buffer: %s\n", strerror(errno));
            return 1;
        }
    }

    int go[2];
    if (pipe(go) != 0) {
        return 1;
    }
    long long t0 = now_ns();
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1) {
            _exit(126);
        }
        execvp(argv[a], &argv[a]);
        perror("phases-loader: exec");
        _exit(127);
    }
    close(go[0]);
    int perf_fds[2] = {-1, -1};
    if (perf >= 1) {
        perf_fds[0] = open_tracepoint_counter("raw_syscalls/sys_enter", child);
    }
    if (perf >= 2) {
        perf_fds[1] = open_tracepoint_counter("raw_syscalls/sys_exit", child);
    }
    if (skel) {
        __u32 pid = (__u32)child, tracked = 0;
        bpf_map_update_elem(bpf_map__fd(skel->maps.gos_tgids), &pid, &tracked, BPF_ANY);
    }
    t0 = now_ns();
    if (write(go[1], "g", 1) != 1) {
        return 1;
    }
    close(go[1]);
    int status = 0;
    long long wall;
    if (rb) {
        /* Wake on records and on the child's exit alike (a pidfd polls readable then), so the wall time is exact. */
        struct pollfd fds[2] = {{.fd = ring_buffer__epoll_fd(rb), .events = POLLIN}, {.fd = (int)syscall(SYS_pidfd_open, child, 0), .events = POLLIN}};
        for (;;) {
            poll(fds, 2, 1000);
            if (fds[1].revents || fds[1].fd < 0) {
                if (waitpid(child, &status, fds[1].fd < 0 ? 0 : WNOHANG) == child) {
                    break;
                }
            }
            ring_buffer__consume(rb);
        }
        wall = now_ns() - t0;
    } else {
        waitpid(child, &status, 0);
        wall = now_ns() - t0;
    }
    printf("W %lld\n", wall);
    for (int i = 0; i < 2; i++) {
        unsigned long long count = 0;
        if (perf_fds[i] >= 0 && read(perf_fds[i], &count, sizeof count) == sizeof count) {
            printf("C %s %llu\n", i ? "sys_exit" : "sys_enter", count);
        }
    }
    if (!skel) {
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    }
    ring_buffer__consume(rb);
    if (!floor_only && final_flush(skel) != 0) {
        return 1;
    }

    for (size_t i = 0; i < g_count; i++) {
        struct gos_event *e = &g_events[i];
        if (e->kind == GOS_EV_MARKER && e->mkind == 1 && e->matched) {
            learn_path(e->path, e->parent, e->name);
        }
    }
    resolve_sets();
    read_maps(skel);
    print_stats(skel);
    if (markers) {
        char p[1024];
        for (size_t i = 0; i < g_count; i++) {
            struct gos_event *e = &g_events[i];
            if (e->kind == GOS_EV_MARKER) {
                printf("M %u %u %u %u %s\n", e->pid, e->tid, e->mkind, e->depth, path_text(e->path, p, sizeof p));
            } else {
                printf("M %u %u %s\n", e->pid, e->tid, e->kind == GOS_EV_FORK ? "fork" : "exec");
            }
        }
    }
    for (int i = 0; threads && i < g_ntids; i++) {
        printf("H %u %u %llu\n", g_tids[i].tid, g_tids[i].nr, (unsigned long long)g_tids[i].calls);
    }
    if (!quiet) {
        char p[1024];
        for (int i = 0; i < g_nsys; i++) {
            struct sys_row *r = &g_sys[i];
            printf("T %s %s %u %llu %llu %llu %llu\n", r->window ? "window" : "thread", path_text(r->path, p, sizeof p), r->nr,
                (unsigned long long)r->v.calls, (unsigned long long)r->v.errors, (unsigned long long)r->v.untimed,
                (unsigned long long)r->v.time_ns);
        }
        for (int i = 0; i < g_nruns; i++) {
            printf("R %llu %s %u %llu\n", (unsigned long long)g_runs[i].inst, path_text(g_runs[i].path, p, sizeof p),
                g_runs[i].nr, (unsigned long long)g_runs[i].calls);
        }
        for (int i = 0; i < g_nphase; i++) {
            struct phase_row *r = &g_phase[i];
            printf("P %s %s %llu %llu %llu %llu %llu\n", r->window ? "window" : "thread", path_text(r->path, p, sizeof p),
                (unsigned long long)r->v.voluntary, (unsigned long long)r->v.involuntary, (unsigned long long)r->v.faults_minor,
                (unsigned long long)r->v.faults_major, (unsigned long long)r->v.oncpu_ns);
        }
    }
    ring_buffer__free(rb);
    phases_bpf__destroy(skel);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
