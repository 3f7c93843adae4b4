/* Tests of the CUDA, HIP and OpenCL completion paths against the fake vendor library (fake_vendor.c, loaded as
 * libcuda.so.1, libamdhip64.so and libOpenCL.so.1 through LD_LIBRARY_PATH). Prints one line per check; exits 1 when
 * any failed.
 * Build: cc -O2 -pthread -Iinclude -o test_completion tests/test_completion.c -L<dir> -lgpuos -ldl (GpuOsLibraryTests). */
#define _GNU_SOURCE
#include "gpuos.h"

#include <dirent.h>
#include <dlfcn.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...)                                                                                                 \
    do {                                                                                                                 \
        if (cond) {                                                                                                      \
            printf("ok   ");                                                                                             \
        } else {                                                                                                         \
            printf("FAIL ");                                                                                             \
            failures++;                                                                                                  \
        }                                                                                                                \
        printf(__VA_ARGS__);                                                                                             \
        printf("\n");                                                                                                    \
    } while (0)

enum { HOST_FUNCS, EVENT_SYNCS, EVENT_QUERIES, WRITES, RECORDS, HOST_FREES, HOST_ALLOCS, BLOCKING_RECORDS, STREAM_WAITS, STREAMS, CL_MARKERS,
    CL_FILLS, CL_FLUSHES, STATS };

static void *(*fake_stream_create)(void);
static void (*fake_work)(void *, long);
static void (*fake_stall)(void *, int);
static void (*fake_stats)(long *);
static void (*fake_set_context)(void *);
static void *(*fake_cl_queue)(int);
static void *(*fake_cl_stream)(void *);

static long stat(int i)
{
    long s[STATS];
    fake_stats(s);
    return s[i];
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Polls a condition for up to 5 s: the watcher thread and the fake stream run on their own. */
#define EVENTUALLY(cond) \
    for (int _i = 0; _i < 500 && !(cond); _i++) sleep_ms(10)

static int thread_named(const char *name)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d))) {
        char path[300], comm[32] = {0};
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            found |= fgets(comm, sizeof comm, f) && strncmp(comm, name, strlen(name)) == 0;
            fclose(f);
        }
    }
    if (d) {
        closedir(d);
    }
    return found;
}

static void test_rounds(gpuos_vendor vendor, const char *name)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(vendor);
    CHECK(c != NULL, "%s: a completion is created against the fake library (%s)", name, c ? "" : gpuos_last_error());
    if (!c) {
        return;
    }
    long funcs = stat(HOST_FUNCS);
    int ok = 1;
    for (int i = 0; i < 60; i++) {
        fake_work(s, 200);
        ok &= gpuos_completion_arm(c, s) == GPUOS_OK;
        ok &= gpuos_completion_wait(c, (gpuos_wait_policy)(i % 3), -1, NULL) == GPUOS_OK;
        ok &= gpuos_completion_test(c) == 1;
    }
    uint64_t armed, signalled, extra;
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(ok && armed == 60 && signalled == 60 && extra == 0,
        "%s: 60 arm/wait rounds under spin, park and adaptive complete, each arm seen once (armed %llu, done %llu, extra %llu)", name,
        (unsigned long long)armed, (unsigned long long)signalled, (unsigned long long)extra);
    CHECK(strstr(gpuos_completion_mechanism(c), "spin=word park=event") != NULL, "%s: it spins on the stream's word and parks in the event: %s", name,
        gpuos_completion_mechanism(c));
    CHECK(stat(HOST_FUNCS) == funcs, "%s: no host callback was enqueued (%ld)", name, stat(HOST_FUNCS) - funcs);

    long syncs = stat(EVENT_SYNCS);
    long queries = stat(EVENT_QUERIES);
    long blocking = stat(BLOCKING_RECORDS);
    for (int i = 0; i < 20; i++) {
        fake_work(s, 300);
        gpuos_completion_arm(c, s);
        gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    }
    CHECK(stat(EVENT_SYNCS) == syncs && stat(EVENT_QUERIES) == queries, "%s: a spin reads the word: no event synchronize (%ld), no query (%ld)", name,
        stat(EVENT_SYNCS) - syncs, stat(EVENT_QUERIES) - queries);
    /* A blocking-sync event's record raises an interrupt that wakes the driver's event-handler thread (cuda-EvtHandlr
     * polled twice per wait on the H200): only a park may ask for one. */
    CHECK(stat(BLOCKING_RECORDS) == blocking, "%s: 20 arms waited on by spins record no blocking-sync event (%ld recorded)", name,
        stat(BLOCKING_RECORDS) - blocking);

    gpuos_wait_info w;
    syncs = stat(EVENT_SYNCS);
    blocking = stat(BLOCKING_RECORDS);
    long waits = stat(STREAM_WAITS);
    fake_work(s, 20000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_PARK, -1, &w);
    CHECK(w.decision == 1 && stat(EVENT_SYNCS) == syncs + 1 && gpuos_completion_test(c), "%s: a park blocks in the driver's event synchronize (decision %d, %ld call)",
        name, w.decision, stat(EVENT_SYNCS) - syncs);
    CHECK(stat(STREAM_WAITS) == waits + 1 && stat(BLOCKING_RECORDS) == blocking + 1,
        "%s: the park's blocking-sync event is recorded on gpuos's own stream behind a wait for the arm's event (%ld stream wait, %ld blocking record)", name,
        stat(STREAM_WAITS) - waits, stat(BLOCKING_RECORDS) - blocking);

    gpuos_completion_destroy(c);
}

static void test_adaptive(void)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    gpuos_wait_info w;
    gpuos_phase_begin("learn", GPUOS_CLASS_LATENCY);
    for (int i = 0; i < 5; i++) {
        fake_work(s, 20000);
        gpuos_completion_arm(c, s);
        gpuos_completion_wait(c, GPUOS_WAIT_PARK, -1, NULL);
    }
    long long learned = gpuos_learned_ns("learn");
    CHECK(learned >= 20000000 && learned < 2000000000, "five 20 ms waits armed in a phase teach it about 20 ms (%lld ns)", learned);

    long syncs = stat(EVENT_SYNCS);
    fake_work(s, 20000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, &w);
    CHECK(w.sleeps == 1 && (w.decision == 4 || w.decision == 5),
        "the next adaptive wait sleeps through most of it, then spins for the end (decision %d, sleeps %d, spun %lld us, expected %lld us)", w.decision, w.sleeps,
        (long long)w.spun_ns / 1000, (long long)w.expected_ns / 1000);

    syncs = stat(EVENT_SYNCS);
    fake_work(s, 200000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, &w);
    CHECK(w.decision == 5 && w.sleeps == 1 && stat(EVENT_SYNCS) == syncs + 1 && gpuos_completion_test(c),
        "work running far past what was learned parks natively after the spin (decision %d, %ld event synchronize)", w.decision, stat(EVENT_SYNCS) - syncs);
    gpuos_phase_end("learn");
    gpuos_completion_destroy(c);
}

/* A wait with nothing learned spins through short work to learn its length exactly: a park's wake-up comes late (330 us
 * past the kernel on the H200) and would teach a length too long by as much, which later waits then oversleep. */
static void test_adaptive_first_wait(void)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    gpuos_wait_info w;
    /* A fresh stream's first work starts late (its thread starts): warm it up outside the phase. */
    fake_work(s, 100);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    gpuos_phase_begin("first", GPUOS_CLASS_LATENCY);
    long syncs = stat(EVENT_SYNCS);
    fake_work(s, 1000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, &w);
    long long learned = gpuos_learned_ns("first");
    CHECK(w.decision == 0 && stat(EVENT_SYNCS) == syncs && learned >= 1000000 && learned < 1000000000,
        "an adaptive wait with nothing learned spins through 1 ms of work instead of parking, and learns it (decision %d, %ld event synchronize, learned %lld us)",
        w.decision, stat(EVENT_SYNCS) - syncs, learned / 1000);
    gpuos_phase_end("first");

    gpuos_phase_begin("first-long", GPUOS_CLASS_LATENCY);
    syncs = stat(EVENT_SYNCS);
    fake_work(s, 30000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, &w);
    CHECK(w.decision == 2 && stat(EVENT_SYNCS) == syncs + 1 && w.spun_ns < 20000000,
        "with nothing learned, work longer than the learning spin parks natively after it (decision %d, spun %lld us)", w.decision,
        (long long)w.spun_ns / 1000);
    gpuos_phase_end("first-long");
    gpuos_completion_destroy(c);
}

static void test_fd(void)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    long funcs = stat(HOST_FUNCS);
    int fd = gpuos_completion_fd(c);
    struct pollfd p = {fd, POLLIN, 0};
    int ok = 1;
    for (int i = 0; i < 10; i++) {
        /* The stream is held until the fd was checked, so "not before" does not depend on how fast this thread runs. */
        fake_stall(s, 1);
        fake_work(s, 2000);
        gpuos_completion_arm(c, s);
        int before = poll(&p, 1, 0);
        fake_stall(s, 0);
        int r = poll(&p, 1, 5000);
        uint64_t v;
        ok &= before == 0 && r == 1 && gpuos_completion_test(c) && read(fd, &v, sizeof v) == sizeof v;
    }
    CHECK(ok, "a handed-out fd turns readable when each arm's work is done, and not before");
    CHECK(stat(HOST_FUNCS) == funcs && thread_named("gpuos-watch"), "the fd is written by the gpuos-watch thread, not by a host callback (%ld callbacks)",
        stat(HOST_FUNCS) - funcs);
    gpuos_completion_destroy(c);
}

static void test_destroy_pending(void)
{
    /* Host words are counted process-wide, and the watcher frees the earlier tests' completions on its own time. */
    EVENTUALLY(stat(HOST_ALLOCS) == stat(HOST_FREES));
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    fake_work(s, 1000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    fake_stall(s, 1);
    fake_work(s, 1000);
    gpuos_completion_arm(c, s);
    gpuos_completion_destroy(c);
    sleep_ms(50);
    long while_pending = stat(HOST_ALLOCS) - stat(HOST_FREES);
    fake_stall(s, 0);
    EVENTUALLY(stat(HOST_ALLOCS) == stat(HOST_FREES));
    CHECK(while_pending == 1 && stat(HOST_ALLOCS) == stat(HOST_FREES),
        "a completion destroyed with work pending keeps its word until the stream wrote it (words alive while pending: %ld, after: %ld)", while_pending,
        stat(HOST_ALLOCS) - stat(HOST_FREES));
}

static void test_timeout(void)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    fake_stall(s, 1);
    fake_work(s, 1000);
    gpuos_completion_arm(c, s);
    gpuos_phase_begin("hung", GPUOS_CLASS_LATENCY);
    int r = gpuos_completion_wait(c, GPUOS_WAIT_PARK, 50000000, NULL);
    gpuos_phase_end("hung");
    CHECK(r == GPUOS_ETIMEDOUT && strstr(gpuos_last_error(), "\"hung\""), "a park with a timeout on work that never ends times out, naming the phase: %s",
        gpuos_last_error());
    fake_stall(s, 0);
    CHECK(gpuos_completion_wait(c, GPUOS_WAIT_PARK, 5000000000ll, NULL) == GPUOS_OK, "once the stream moves, a park with a timeout is woken through the fd");
    gpuos_completion_destroy(c);
}

static void test_fallbacks(void)
{
    void *s = fake_stream_create();
    setenv("FAKE_NO_MEMOPS", "1", 1);
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    long queries = stat(EVENT_QUERIES);
    fake_work(s, 1000);
    int r = gpuos_completion_arm(c, s);
    r |= gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    CHECK(r == GPUOS_OK && strstr(gpuos_completion_mechanism(c), "spin=query") && stat(EVENT_QUERIES) > queries,
        "without stream memory operations a spin polls the event: %s", gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    unsetenv("FAKE_NO_MEMOPS");

    setenv("GPUOS_CUDA_WAKE", "callback", 1);
    c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    long funcs = stat(HOST_FUNCS);
    fake_work(s, 1000);
    gpuos_completion_arm(c, s);
    r = gpuos_completion_wait(c, GPUOS_WAIT_PARK, -1, NULL);
    uint64_t armed, signalled, extra;
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(r == GPUOS_OK && stat(HOST_FUNCS) == funcs + 1 && signalled == 1 && strstr(gpuos_completion_mechanism(c), "cuLaunchHostFunc"),
        "GPUOS_CUDA_WAKE=callback keeps the first design for measurement: %s", gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    setenv("GPUOS_CUDA_WAKE", "spin=query,park=backoff", 1);
    c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    CHECK(strstr(gpuos_completion_mechanism(c), "spin=query park=backoff") != NULL, "GPUOS_CUDA_WAKE picks the spin and the park: %s",
        gpuos_completion_mechanism(c));
    gpuos_wait_info w;
    fake_work(s, 5000);
    gpuos_completion_arm(c, s);
    r = gpuos_completion_wait(c, GPUOS_WAIT_PARK, -1, &w);
    CHECK(r == GPUOS_OK && w.parks >= 2, "a back-off park sleeps in growing steps (%d sleeps)", w.parks);
    gpuos_completion_destroy(c);
    unsetenv("GPUOS_CUDA_WAKE");
}

static void test_context(void)
{
    void *s = fake_stream_create();
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_CUDA);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    fake_set_context((void *)0x2);
    int r = gpuos_completion_arm(c, s);
    fake_set_context((void *)0x1);
    CHECK(r == GPUOS_EINVAL && strstr(gpuos_last_error(), "one completion per context"), "an arm in another context is refused: %s", gpuos_last_error());
    gpuos_completion_destroy(c);
}

/* OpenCL against the fake platform: the defaults per platform, and NVIDIA's arm. */
static gpuos_completion *cl_completion(const char *platform, void **queue, int out_of_order)
{
    setenv("FAKE_CL_PLATFORM", platform, 1);
    *queue = fake_cl_queue(out_of_order);
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_OPENCL);
    fake_work(fake_cl_stream(*queue), 100);
    gpuos_completion_arm(c, *queue); /* the platform is read, and the mechanisms chosen, at the first arm */
    gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    return c;
}

static void test_opencl_defaults(void)
{
    void *q;
    gpuos_completion *c = cl_completion("Portable Computing Language", &q, 0);
    CHECK(strstr(gpuos_completion_mechanism(c), "host callback") != NULL,
        "PoCL's completions use the host callback by default, the H200's pick (2026-12-06): %s", gpuos_completion_mechanism(c));
    int ok = 1;
    for (int i = 0; i < 30; i++) {
        fake_work(fake_cl_stream(q), 300);
        ok &= gpuos_completion_arm(c, q) == GPUOS_OK;
        ok &= gpuos_completion_wait(c, (gpuos_wait_policy)(i % 3), -1, NULL) == GPUOS_OK;
    }
    uint64_t armed, signalled, extra;
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(ok && armed == 31 && signalled == 31 && extra == 0, "PoCL: 30 rounds of spin, park and adaptive complete (armed %llu, done %llu, extra %llu)",
        (unsigned long long)armed, (unsigned long long)signalled, (unsigned long long)extra);
    gpuos_completion_destroy(c);

    c = cl_completion("NVIDIA CUDA", &q, 0);
    CHECK(strstr(gpuos_completion_mechanism(c), "spin=status park=wait arm=fill") != NULL,
        "NVIDIA's completions spin on the status, park in clWaitForEvents and arm with a fill by default: %s", gpuos_completion_mechanism(c));
    ok = 1;
    for (int i = 0; i < 30; i++) {
        fake_work(fake_cl_stream(q), 300);
        ok &= gpuos_completion_arm(c, q) == GPUOS_OK;
        ok &= gpuos_completion_wait(c, (gpuos_wait_policy)(i % 3), -1, NULL) == GPUOS_OK;
    }
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(ok && armed == 31 && signalled == 31 && extra == 0, "NVIDIA: 30 rounds of spin, park and adaptive complete (armed %llu, done %llu, extra %llu)",
        (unsigned long long)armed, (unsigned long long)signalled, (unsigned long long)extra);
    gpuos_completion_destroy(c);

    c = cl_completion("NVIDIA CUDA", &q, 0);
    int fd = gpuos_completion_fd(c);
    struct pollfd p = {fd, POLLIN, 0};
    uint64_t v;
    ssize_t drained = read(fd, &v, sizeof v); /* the first arm's completion, from before the fd was handed out */
    (void)drained;
    fake_stall(fake_cl_stream(q), 1);
    fake_work(fake_cl_stream(q), 2000);
    gpuos_completion_arm(c, q);
    int before = poll(&p, 1, 0);
    fake_stall(fake_cl_stream(q), 0);
    int r = poll(&p, 1, 5000);
    CHECK(before == 0 && r == 1 && gpuos_completion_test(c), "NVIDIA: a handed-out fd turns readable when the fill is done, and not before");
    gpuos_completion_destroy(c);

    setenv("GPUOS_OPENCL_WAKE", "NVIDIA@arm=marker;Portable@spin=status,park=wait", 1);
    c = cl_completion("NVIDIA CUDA", &q, 0);
    CHECK(strstr(gpuos_completion_mechanism(c), "spin=status park=wait") && !strstr(gpuos_completion_mechanism(c), "fill"),
        "GPUOS_OPENCL_WAKE=NVIDIA@arm=marker arms NVIDIA's queues with a marker: %s", gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    c = cl_completion("Portable Computing Language", &q, 0);
    CHECK(strstr(gpuos_completion_mechanism(c), "spin=status park=wait") != NULL,
        "GPUOS_OPENCL_WAKE=Portable@spin=status,park=wait takes PoCL off its default callback: %s", gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    unsetenv("GPUOS_OPENCL_WAKE");

    long markers = stat(CL_MARKERS);
    long fills = stat(CL_FILLS);
    c = cl_completion("NVIDIA CUDA", &q, 1);
    CHECK(stat(CL_MARKERS) == markers + 1 && stat(CL_FILLS) == fills,
        "on an out-of-order queue the arm is a marker, which waits for every command before it, not a fill (%ld marker, %ld fill): %s",
        stat(CL_MARKERS) - markers, stat(CL_FILLS) - fills, gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    unsetenv("FAKE_CL_PLATFORM");
}

/* NVIDIA's OpenCL on the H200 kept the waiting thread on its CPU for the whole kernel before the wait began, in every
 * policy and in the first design too (docs/evaluation-h200.md), so the adaptive wait found nothing left to sleep
 * through. The fake holds the thread in the marker's enqueue or in the flush after it, as the H200 looked: the arm must
 * not queue a marker there. */
static void test_opencl_nvidia_adaptive(const char *holds)
{
    setenv("FAKE_CL_MARKER_HOLDS", holds, 1);
    void *q;
    gpuos_completion *c = cl_completion("NVIDIA CUDA", &q, 0);
    gpuos_phase_begin("cl-learn", GPUOS_CLASS_LATENCY);
    for (int i = 0; i < 5; i++) {
        fake_work(fake_cl_stream(q), 20000);
        gpuos_completion_arm(c, q);
        gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, NULL);
    }
    gpuos_wait_info w;
    fake_work(fake_cl_stream(q), 20000);
    long long t0 = now_us();
    gpuos_completion_arm(c, q);
    long long arm = now_us() - t0;
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, -1, &w);
    gpuos_phase_end("cl-learn");
    CHECK(arm < 10000 && w.sleeps == 1 && (w.decision == 4 || w.decision == 5),
        "NVIDIA (the fake holding the thread at the marker's %s): the arm returns at once (%lld us) and an adaptive wait on learned 20 ms work sleeps "
        "through it (decision %d, sleeps %d, expected %lld us): %s",
        holds, arm, w.decision, w.sleeps, (long long)w.expected_ns / 1000, gpuos_completion_mechanism(c));
    gpuos_completion_destroy(c);
    unsetenv("FAKE_CL_MARKER_HOLDS");
    unsetenv("FAKE_CL_PLATFORM");
}

int main(void)
{
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    fake_stream_create = lib ? (void *(*)(void))dlsym(lib, "fake_stream_create") : NULL;
    if (!fake_stream_create) {
        printf("FAIL the fake vendor library is not on LD_LIBRARY_PATH as libcuda.so.1\n");
        return 1;
    }
    fake_work = (void (*)(void *, long))dlsym(lib, "fake_work");
    fake_stall = (void (*)(void *, int))dlsym(lib, "fake_stall");
    fake_stats = (void (*)(long *))dlsym(lib, "fake_stats");
    fake_set_context = (void (*)(void *))dlsym(lib, "fake_set_context");
    fake_cl_queue = (void *(*)(int))dlsym(lib, "fake_cl_queue");
    fake_cl_stream = (void *(*)(void *))dlsym(lib, "fake_cl_stream");
    test_rounds(GPUOS_VENDOR_CUDA, "cuda");
    test_rounds(GPUOS_VENDOR_HIP, "hip");
    test_adaptive();
    test_adaptive_first_wait();
    test_fd();
    test_destroy_pending();
    test_timeout();
    test_fallbacks();
    test_context();
    test_opencl_defaults();
    test_opencl_nvidia_adaptive("enqueue");
    test_opencl_nvidia_adaptive("flush");
    printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
