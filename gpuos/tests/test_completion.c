/* Tests of the CUDA and HIP completion paths against the fake vendor library (fake_vendor.c, loaded as libcuda.so.1
 * and libamdhip64.so through LD_LIBRARY_PATH). Prints one line per check; exits 1 when any failed.
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

enum { HOST_FUNCS, EVENT_SYNCS, EVENT_QUERIES, WRITES, RECORDS, HOST_FREES, HOST_ALLOCS };

static void *(*fake_stream_create)(void);
static void (*fake_work)(void *, long);
static void (*fake_stall)(void *, int);
static void (*fake_stats)(long *);
static void (*fake_set_context)(void *);

static long stat(int i)
{
    long s[7];
    fake_stats(s);
    return s[i];
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
    for (int i = 0; i < 20; i++) {
        fake_work(s, 300);
        gpuos_completion_arm(c, s);
        gpuos_completion_wait(c, GPUOS_WAIT_SPIN, -1, NULL);
    }
    CHECK(stat(EVENT_SYNCS) == syncs && stat(EVENT_QUERIES) == queries, "%s: a spin reads the word: no event synchronize (%ld), no query (%ld)", name,
        stat(EVENT_SYNCS) - syncs, stat(EVENT_QUERIES) - queries);

    gpuos_wait_info w;
    syncs = stat(EVENT_SYNCS);
    fake_work(s, 20000);
    gpuos_completion_arm(c, s);
    gpuos_completion_wait(c, GPUOS_WAIT_PARK, -1, &w);
    CHECK(w.decision == 1 && stat(EVENT_SYNCS) == syncs + 1 && gpuos_completion_test(c), "%s: a park blocks in the driver's event synchronize (decision %d, %ld call)",
        name, w.decision, stat(EVENT_SYNCS) - syncs);
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
    test_rounds(GPUOS_VENDOR_CUDA, "cuda");
    test_rounds(GPUOS_VENDOR_HIP, "hip");
    test_adaptive();
    test_fd();
    test_destroy_pending();
    test_timeout();
    test_fallbacks();
    test_context();
    printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
