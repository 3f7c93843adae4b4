/* uprobe-floor [N] [ROUNDS]: what an entry uprobe costs a call on this kernel, apart from anything gpuos or its tracer
 * adds: ns per call of a probed empty function, median of 5 runs of N calls (default 100,000), each variant once a
 * round, ROUNDS rounds (default 3), interleaved. The function starts with a 5-byte nop (Linux 6.18+ optimizes the
 * probe into a call to a trampoline and the uprobe syscall) or with a plain entry (a breakpoint trap per hit). The
 * consumers: a counting perf uprobe event (no record), uprobe-count.bpf.c's program (one map increment), that program
 * with a perf counter on raw_syscalls:sys_exit (the syscall tracing a hybrid capture turns on, which the uprobe
 * syscall then goes through), and a sampling perf event into a ring buffer (what a full-mode capture opens). Every
 * run's hit count is checked, so a probe that did not fire is reported, never timed as cheap.
 * Usage: uprobe-floor [N] [ROUNDS]   (needs root; the BPF object path in UPROBE_COUNT_BPF, default uprobe-count.bpf.o
 * beside the binary). Built and run by tests/native/phases-bench.sh. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <link.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline, used, aligned(16))) void probed_nop5(void *p)
{
    __asm__ volatile(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00" : : "r"(p) : "memory");
}

__attribute__((noinline, used, aligned(16))) void probed_plain(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

__attribute__((noinline, used, aligned(16))) void unprobed(void *p)
{
    __asm__ volatile(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00" : : "r"(p) : "memory");
}

static char g_exe[4096];
static long g_n;
static int g_failed;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The function's offset in the executable's file, which is what a uprobe names. */
static size_t file_offset(void *fn)
{
    Dl_info info;
    struct link_map *map;
    dladdr1(fn, &info, (void **)&map, RTLD_DL_LINKMAP);
    return (size_t)((uintptr_t)fn - map->l_addr);
}

static int perf_open(struct perf_event_attr *a)
{
    int fd = (int)syscall(SYS_perf_event_open, a, 0, -1, -1, 0);
    if (fd < 0) {
        perror("uprobe-floor: perf_event_open");
        exit(1);
    }
    return fd;
}

static int open_uprobe(void *fn, int sampled)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
    if (!f || fscanf(f, "%u", &a.type) != 1) {
        fprintf(stderr, "uprobe-floor: no uprobe PMU\n");
        exit(1);
    }
    fclose(f);
    a.size = sizeof a;
    a.config1 = (uint64_t)(uintptr_t)g_exe;
    a.config2 = file_offset(fn);
    if (sampled) {
        a.sample_period = 1;
        a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
        a.wakeup_events = 1u << 30;
    }
    int fd = perf_open(&a);
    if (sampled && mmap(NULL, (1 + 256) * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED) {
        perror("uprobe-floor: mmap");
        exit(1);
    }
    return fd;
}

static int open_sys_exit(void)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    FILE *f = fopen("/sys/kernel/tracing/events/raw_syscalls/sys_exit/id", "r");
    if (!f || fscanf(f, "%llu", (unsigned long long *)&a.config) != 1) {
        fprintf(stderr, "uprobe-floor: no raw_syscalls:sys_exit\n");
        exit(1);
    }
    fclose(f);
    a.size = sizeof a;
    a.type = PERF_TYPE_TRACEPOINT;
    return perf_open(&a);
}

/* Median ns per call of 5 runs of g_n calls. */
static double timed(void (*fn)(void *), long n)
{
    double r[5];
    for (int k = 0; k < 5; k++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            fn(&i);
        }
        r[k] = (now() - t0) / (double)n;
    }
    qsort(r, 5, sizeof r[0], cmp);
    return r[2];
}

static void check(const char *what, uint64_t hits)
{
    if (hits != (uint64_t)(5 * g_n)) {
        fprintf(stderr, "uprobe-floor: %s saw %llu hits of %ld: not timed as a probe\n", what, (unsigned long long)hits, 5 * g_n);
        g_failed = 1;
    }
}

static double with_counter(void (*fn)(void *), const char *what)
{
    int fd = open_uprobe((void *)fn, 0);
    double ns = timed(fn, g_n);
    uint64_t hits = 0;
    if (read(fd, &hits, sizeof hits) != (ssize_t)sizeof hits) {
        hits = 0;
    }
    close(fd);
    check(what, hits);
    return ns;
}

static double with_program(struct bpf_program *prog, int map, void (*fn)(void *), int sys_exit, const char *what)
{
    uint32_t key = 0;
    uint64_t zero = 0, hits = 0;
    bpf_map_update_elem(map, &key, &zero, BPF_ANY);
    struct bpf_link *link = bpf_program__attach_uprobe(prog, false, 0, g_exe, file_offset((void *)fn));
    if (!link) {
        fprintf(stderr, "uprobe-floor: cannot attach the program\n");
        exit(1);
    }
    int tp = sys_exit ? open_sys_exit() : -1;
    double ns = timed(fn, g_n);
    if (tp >= 0) {
        close(tp);
    }
    bpf_link__destroy(link);
    bpf_map_lookup_elem(map, &key, &hits);
    check(what, hits);
    return ns;
}

static double with_samples(void (*fn)(void *))
{
    int fd = open_uprobe((void *)fn, 1);
    double ns = timed(fn, g_n);
    close(fd);
    return ns;
}

int main(int argc, char **argv)
{
    g_n = argc > 1 ? atol(argv[1]) : 100000;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    ssize_t len = readlink("/proc/self/exe", g_exe, sizeof g_exe - 1);
    if (len <= 0) {
        return 1;
    }
    g_exe[len] = 0;
    char def[4200];
    snprintf(def, sizeof def, "%.*s/uprobe-count.bpf.o", (int)(strrchr(g_exe, '/') - g_exe), g_exe);
    const char *path = getenv("UPROBE_COUNT_BPF") ? getenv("UPROBE_COUNT_BPF") : def;
    struct bpf_object *obj = bpf_object__open_file(path, NULL);
    if (!obj || bpf_object__load(obj)) {
        fprintf(stderr, "uprobe-floor: cannot load %s\n", path);
        return 1;
    }
    struct bpf_program *prog = bpf_object__find_program_by_name(obj, "count_hit");
    int map = bpf_object__find_map_fd_by_name(obj, "hits");
    for (int r = 1; r <= rounds; r++) {
        double untraced = timed(unprobed, g_n * 10);
        double nop_counter = with_counter(probed_nop5, "optimized, perf counter");
        double nop_prog = with_program(prog, map, probed_nop5, 0, "optimized, program");
        double nop_prog_sys = with_program(prog, map, probed_nop5, 1, "optimized, program + sys_exit counter");
        double nop_sampled = with_samples(probed_nop5);
        double trap_counter = with_counter(probed_plain, "trap, perf counter");
        double trap_prog = with_program(prog, map, probed_plain, 0, "trap, program");
        printf("round %d: untraced %.1f ns | optimized: perf counter %.0f, program %.0f, program + sys_exit "
               "counter %.0f, sampled %.0f ns | trap: perf counter %.0f, program %.0f ns\n",
               r, untraced, nop_counter, nop_prog, nop_prog_sys, nop_sampled, trap_counter, trap_prog);
        fflush(stdout);
    }
    bpf_object__close(obj);
    return g_failed;
}
