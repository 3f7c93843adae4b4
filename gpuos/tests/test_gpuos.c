/* Tests of libgpuos through its C ABI. Prints one line per check; exits 1 when any failed.
 * Build: cc -O2 -o test_gpuos tests/test_gpuos.c -Iinclude -L<dir> -lgpuos -lpthread (see GpuOsLibraryTests). */
#define _GNU_SOURCE
#include "gpuos.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

struct sched_attr_v0 {
    unsigned size, policy;
    unsigned long long flags;
    int nice;
    unsigned priority;
    unsigned long long runtime, deadline, period;
};

static int policy_now(void)
{
    struct sched_attr_v0 a;
    memset(&a, 0, sizeof a);
    if (syscall(SYS_sched_getattr, 0, &a, sizeof a, 0) != 0) {
        return -1;
    }
    return (int)a.policy;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void test_phase_balance(void)
{
    CHECK(gpuos_phase_depth() == 0, "no phase open at start");
    CHECK(gpuos_phase_end(NULL) == GPUOS_EUNBALANCED && strstr(gpuos_last_error(), "no phase is open"),
        "an end without a begin is refused: %s", gpuos_last_error());
    CHECK(gpuos_phase_begin("outer", GPUOS_CLASS_LATENCY) == 1, "begin outer -> depth 1");
    CHECK(gpuos_phase_begin("inner", GPUOS_CLASS_INHERIT) == 2, "begin inner -> depth 2");
    CHECK(strcmp(gpuos_phase_current(), "inner") == 0, "the current phase is inner");
    CHECK(gpuos_phase_end("outer") == GPUOS_EUNBALANCED && strstr(gpuos_last_error(), "\"inner\""),
        "ending outer while inner is open is refused and names inner: %s", gpuos_last_error());
    CHECK(gpuos_phase_depth() == 2, "a refused end changes nothing");
    CHECK(gpuos_phase_end("inner") == 1, "end inner -> depth 1");
    CHECK(gpuos_phase_end(NULL) == 0, "end (innermost) -> depth 0");
    CHECK(gpuos_phase_begin("", GPUOS_CLASS_LATENCY) == GPUOS_EINVAL, "an empty name is refused: %s", gpuos_last_error());
    CHECK(gpuos_phase_begin("x", (gpuos_class)9) == GPUOS_EINVAL, "an unknown class is refused: %s", gpuos_last_error());
    int depth = 0;
    for (int i = 0; i < 40; i++) {
        int r = gpuos_phase_begin("deep", GPUOS_CLASS_INHERIT);
        if (r < 0) {
            break;
        }
        depth = r;
    }
    CHECK(depth == 32 && strstr(gpuos_last_error(), "at most 32"), "phases nest 32 deep, then: %s", gpuos_last_error());
    while (gpuos_phase_depth() > 0) {
        gpuos_phase_end(NULL);
    }
}

static void test_class_reaches_os(void)
{
    gpuos_set_hints(GPUOS_HINT_SCHED);
    gpuos_hint_stats before, after;
    gpuos_get_hint_stats(&before);
    int p0 = policy_now();
    gpuos_phase_begin("train", GPUOS_CLASS_THROUGHPUT);
    int p1 = policy_now();
    gpuos_phase_begin("prefetch", GPUOS_CLASS_BACKGROUND);
    int p2 = policy_now();
    gpuos_phase_begin("same", GPUOS_CLASS_INHERIT);
    int p3 = policy_now();
    gpuos_phase_end("same");
    gpuos_phase_end("prefetch");
    int p4 = policy_now();
    gpuos_phase_end("train");
    int p5 = policy_now();
    gpuos_get_hint_stats(&after);
    CHECK(p0 == SCHED_OTHER, "outside any phase the thread is SCHED_OTHER (%d)", p0);
    CHECK(p1 == SCHED_BATCH, "throughput -> SCHED_BATCH, read back with sched_getattr (%d)", p1);
    CHECK(p2 == SCHED_IDLE, "background -> SCHED_IDLE (%d)", p2);
    CHECK(p3 == SCHED_IDLE, "an inheriting phase keeps SCHED_IDLE (%d)", p3);
    CHECK(p4 == SCHED_BATCH, "ending background restores SCHED_BATCH (%d)", p4);
    CHECK(p5 == SCHED_OTHER, "ending the last phase restores SCHED_OTHER (%d)", p5);
    CHECK(after.sched_calls - before.sched_calls == 4 && after.sched_failures == before.sched_failures,
        "sched_setattr is called only when the class changes: 4 changes, %llu calls, %llu failures",
        (unsigned long long)(after.sched_calls - before.sched_calls), (unsigned long long)(after.sched_failures - before.sched_failures));
    gpuos_get_hint_stats(&before);
    for (int i = 0; i < 100; i++) {
        gpuos_phase_begin("lat", GPUOS_CLASS_LATENCY);
        gpuos_phase_end("lat");
    }
    gpuos_get_hint_stats(&after);
    CHECK(after.sched_calls == before.sched_calls, "100 latency phases on a latency thread call sched_setattr 0 times (%llu)",
        (unsigned long long)(after.sched_calls - before.sched_calls));
}

typedef struct {
    gpuos_completion *c;
    int count;
    long delay_us;
} signaller;

static void *signal_later(void *p)
{
    signaller *s = p;
    for (int i = 0; i < s->count; i++) {
        if (s->delay_us > 0) {
            usleep((useconds_t)s->delay_us);
        }
        gpuos_completion_signal(s->c);
    }
    return NULL;
}

static void test_completion_once(void)
{
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_MANUAL);
    CHECK(c != NULL, "a manual completion is created");
    CHECK(gpuos_completion_wait(c, GPUOS_WAIT_PARK, 1000000, NULL) == GPUOS_ENOTARMED, "a wait before any arm is refused: %s", gpuos_last_error());
    int ok = 1;
    for (int i = 0; i < 200; i++) {
        gpuos_completion_arm(c, NULL);
        signaller s = {c, 1, i % 3 == 0 ? 50 : 0};
        pthread_t t;
        pthread_create(&t, NULL, signal_later, &s);
        int r = gpuos_completion_wait(c, (gpuos_wait_policy)(i % 3), 5000000000ll, NULL);
        pthread_join(t, NULL);
        ok &= r == GPUOS_OK && gpuos_completion_test(c);
    }
    uint64_t armed, signalled, extra;
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(ok, "200 arm/signal/wait rounds under spin, park and adaptive all complete");
    CHECK(armed == 200 && signalled == 200 && extra == 0, "each arm is signalled exactly once: armed %llu, signalled %llu, extra %llu",
        (unsigned long long)armed, (unsigned long long)signalled, (unsigned long long)extra);
    gpuos_completion_signal(c);
    gpuos_completion_counts(c, &armed, &signalled, &extra);
    CHECK(extra == 1, "a signal beyond the arms is counted as extra (%llu)", (unsigned long long)extra);
    gpuos_completion_destroy(c);
}

static void test_fd_pollable(void)
{
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_MANUAL);
    int fd = gpuos_completion_fd(c);
    gpuos_completion_arm(c, NULL);
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 0) == 0, "the fd is not readable before the signal");
    signaller s = {c, 1, 2000};
    pthread_t t;
    pthread_create(&t, NULL, signal_later, &s);
    int r = poll(&p, 1, 5000);
    pthread_join(t, NULL);
    CHECK(r == 1 && (p.revents & POLLIN) && gpuos_completion_test(c), "poll(2) on the fd wakes at the signal, beside any other fd");
    gpuos_completion_destroy(c);
}

static void test_adaptive(void)
{
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_MANUAL);
    gpuos_set_spin_limit(50000);
    gpuos_wait_info w;
    pthread_t t;

    /* A hint far above the spin limit: sleep through most of it, then spin for the end; park if it runs past the spin.
     * Whether the signalling thread's 20 ms sleep ends within the spin depends on the machine's load, so both are right;
     * the spin is bounded by the hint plus the spin limit, far below the 20 ms slept. */
    gpuos_completion_arm(c, NULL);
    gpuos_completion_expect(c, 20000000);
    signaller late = {c, 1, 20000};
    pthread_create(&t, NULL, signal_later, &late);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 5000000000ll, &w);
    pthread_join(t, NULL);
    CHECK(w.sleeps == 1 && (w.decision == 4 || w.decision == 5) && w.spun_ns < 5000000,
        "expected 20 ms > limit 50 us: sleeps through most of it, then spins (decision %d, sleeps %d, spun %lld ns, parks %d)", w.decision, w.sleeps,
        (long long)w.spun_ns, w.parks);

    /* A short hint with the signal already there: completes without parking. */
    gpuos_completion_arm(c, NULL);
    gpuos_completion_expect(c, 10000);
    gpuos_completion_signal(c);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 5000000000ll, &w);
    CHECK(w.decision == 3 && w.parks == 0, "a completion already signalled returns at once (decision %d)", w.decision);

    /* A short hint but the work runs long: spins for the hint plus slack, then parks. */
    gpuos_completion_arm(c, NULL);
    gpuos_completion_expect(c, 20000);
    signaller long_one = {c, 1, 30000};
    pthread_create(&t, NULL, signal_later, &long_one);
    long long t0 = now_ns();
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 5000000000ll, &w);
    pthread_join(t, NULL);
    /* The spin lasts until the arm plus the hint and a quarter of slack (at least 1 us): starting the signalling
     * thread already used part of it, so only the upper bound is firm (5 ms: far below the 30 ms of the work). */
    CHECK(w.decision == 2 && w.spun_ns > 0 && w.spun_ns < 5000000 && w.parks >= 1,
        "expected 20 us, took 30 ms: spins until about 25 us after the arm, then parks (decision %d, spun %lld ns, parks %d, %lld us in all)",
        w.decision, (long long)w.spun_ns, w.parks, (now_ns() - t0) / 1000);

    /* Nothing learned, and the work is signalled: a park learns the signal's time exactly, so the wait spins only the
     * spin limit before it parks (a vendor's completion, whose end is only seen, spins up to 2 ms: test_completion.c). */
    gpuos_phase_begin("unlearned", GPUOS_CLASS_LATENCY);
    gpuos_completion_arm(c, NULL);
    signaller first = {c, 1, 5000};
    pthread_create(&t, NULL, signal_later, &first);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 5000000000ll, &w);
    pthread_join(t, NULL);
    long long first_learned = gpuos_learned_ns("unlearned");
    CHECK(w.decision == 2 && w.spun_ns < 1000000 && first_learned >= 5000000 && first_learned < 2000000000,
        "with nothing learned, a signalled wait spins about the spin limit, then parks, and learns the signal's time (decision %d, spun %lld us, learned %lld us)",
        w.decision, (long long)w.spun_ns / 1000, first_learned / 1000);
    gpuos_phase_end("unlearned");

    /* Learning: waits inside a phase teach its expected duration. */
    gpuos_phase_begin("learned", GPUOS_CLASS_LATENCY);
    for (int i = 0; i < 5; i++) {
        gpuos_completion_arm(c, NULL);
        signaller s = {c, 1, 10000};
        pthread_create(&t, NULL, signal_later, &s);
        gpuos_completion_wait(c, GPUOS_WAIT_PARK, 5000000000ll, NULL);
        pthread_join(t, NULL);
    }
    long long learned = gpuos_learned_ns("learned");
    CHECK(learned >= 10000000 && learned < 2000000000, "five 10 ms waits teach the phase about 10 ms (%lld ns)", learned);
    gpuos_completion_arm(c, NULL);
    signaller s2 = {c, 1, 10000};
    pthread_create(&t, NULL, signal_later, &s2);
    gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 5000000000ll, &w);
    pthread_join(t, NULL);
    CHECK(w.sleeps == 1 && (w.decision == 4 || w.decision == 5), "the next adaptive wait in that phase sleeps through it first (decision %d, expected %lld ns)",
        w.decision, (long long)w.expected_ns);
    gpuos_phase_end("learned");
    gpuos_completion_destroy(c);
}

static void test_timeout_names_phase(void)
{
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_MANUAL);
    gpuos_completion_arm(c, NULL);
    gpuos_phase_begin("steady", GPUOS_CLASS_LATENCY);
    long long t0 = now_ns();
    int r = gpuos_completion_wait(c, GPUOS_WAIT_ADAPTIVE, 50000000, NULL);
    long long took = now_ns() - t0;
    gpuos_phase_end("steady");
    CHECK(r == GPUOS_ETIMEDOUT && strstr(gpuos_last_error(), "\"steady\"") && took < 2000000000ll,
        "a callback that never fires times out and names the phase (%lld ms): %s", took / 1000000, gpuos_last_error());
    gpuos_completion_destroy(c);
}

static void test_vendor_absent(void)
{
    gpuos_completion *c = gpuos_completion_create(GPUOS_VENDOR_HIP);
    if (c) {
        printf("skip the HIP library is present: the absent-vendor case is not tested here\n");
        gpuos_completion_destroy(c);
        return;
    }
    CHECK(strstr(gpuos_last_error(), "libamdhip64.so") != NULL, "a vendor library that is absent is named: %s", gpuos_last_error());
}

static void *open_phase_and_exit(void *p)
{
    (void)p;
    gpuos_phase_begin("forgotten", GPUOS_CLASS_LATENCY);
    return NULL;
}

static void test_open_at_exit(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        pthread_t t;
        pthread_create(&t, NULL, open_phase_and_exit, NULL);
        pthread_join(t, NULL);
        gpuos_phase_begin("main-open", GPUOS_CLASS_LATENCY);
        exit(0);
    }
    close(fds[1]);
    char buf[2048] = {0};
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) {
        n += (size_t)r;
    }
    waitpid(pid, NULL, 0);
    CHECK(strstr(buf, "\"forgotten\" was still open when its thread ended") != NULL, "a phase open at thread exit is reported");
    CHECK(strstr(buf, "\"main-open\" was still open when the process exited") != NULL, "a phase open at process exit is reported");
}


static void test_names_refused(void)
{
    static const struct {
        const char *name;
        const char *why;
        const char *what;
    } bad[] = {
        {"a/b", "'/'", "a '/' (it separates a path's phases)"},
        {"line\nbreak", "control character", "a newline"},
        {"tab\there", "control character", "a tab"},
        {"del\x7f", "control character", "DEL"},
        {"nel\xc2\x85", "control character", "a C1 control (U+0085)"},
        {"bad\xff", "UTF-8", "a byte that is never UTF-8"},
        {"cut\xc3", "UTF-8", "a UTF-8 character cut short"},
        {"\xc0\xaf", "UTF-8", "an overlong encoding of '/'"},
        {"\xed\xa0\x80", "UTF-8", "a UTF-16 surrogate"},
        {"\xf4\x90\x80\x80", "UTF-8", "a code point past U+10FFFF"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = gpuos_phase_begin(bad[i].name, GPUOS_CLASS_LATENCY);
        CHECK(r == GPUOS_EINVAL && strstr(gpuos_last_error(), bad[i].why) && gpuos_phase_depth() == 0,
            "a phase name with %s is refused: %s", bad[i].what, gpuos_last_error());
        CHECK(gpuos_mark(bad[i].name) == GPUOS_EINVAL && strstr(gpuos_last_error(), bad[i].why),
            "an instant marker name with %s is refused: %s", bad[i].what, gpuos_last_error());
    }
    char longest[64], too_long[65];
    memset(longest, 'x', 63);
    longest[63] = 0;
    memset(too_long, 'x', 64);
    too_long[64] = 0;
    CHECK(gpuos_phase_begin(too_long, GPUOS_CLASS_LATENCY) == GPUOS_EINVAL && strstr(gpuos_last_error(), "63 bytes"),
        "a 64-byte name is refused, not cut: %s", gpuos_last_error());
    CHECK(gpuos_phase_begin(longest, GPUOS_CLASS_LATENCY) == 1 && strcmp(gpuos_phase_current(), longest) == 0,
        "a 63-byte name is kept whole");
    CHECK(gpuos_phase_end(too_long) == GPUOS_EUNBALANCED, "an end naming a longer name that starts like the open one is refused: %s",
        gpuos_last_error());
    CHECK(gpuos_phase_end(longest) == 0, "the 63-byte phase ends by its own name");
    CHECK(gpuos_phase_begin("donn\xc3\xa9" "es \xe6\xad\xa5\xe9\xaa\xa4 \xf0\x9f\x9a\x80", GPUOS_CLASS_LATENCY) == 1,
        "a name of valid multi-byte UTF-8 is taken: %s", gpuos_last_error());
    gpuos_phase_end(NULL);
    CHECK(gpuos_mark("tick") == GPUOS_OK && gpuos_mark(NULL) == GPUOS_OK, "a plain instant marker, and one without a name, are taken");
}

static pthread_barrier_t g_fork_barrier;

static void *hold_phase_open(void *p)
{
    (void)p;
    gpuos_phase_begin("other-thread", GPUOS_CLASS_LATENCY);
    pthread_barrier_wait(&g_fork_barrier); /* the phase is open */
    pthread_barrier_wait(&g_fork_barrier); /* the fork is done */
    gpuos_phase_end("other-thread");
    return NULL;
}

static void test_fork_child_starts_with_no_phase(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return;
    }
    gpuos_set_hints(GPUOS_HINT_SCHED);
    pthread_barrier_init(&g_fork_barrier, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, hold_phase_open, NULL);
    pthread_barrier_wait(&g_fork_barrier);
    gpuos_phase_begin("parent-phase", GPUOS_CLASS_THROUGHPUT);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        int bits = 0;
        bits |= gpuos_phase_depth() == 0 ? 1 : 0;
        bits |= strcmp(gpuos_phase_current(), "") == 0 ? 2 : 0;
        bits |= gpuos_phase_end("parent-phase") == GPUOS_EUNBALANCED ? 4 : 0;
        bits |= policy_now() == SCHED_OTHER ? 8 : 0;
        bits |= gpuos_phase_begin("child-phase", GPUOS_CLASS_LATENCY) == 1 && gpuos_phase_end("child-phase") == 0 ? 16 : 0;
        fprintf(stderr, "bits %d\n", bits);
        exit(0); /* runs the library's exit handler: it must find no phase of the parent's threads */
    }
    close(fds[1]);
    char buf[2048] = {0};
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) {
        n += (size_t)r;
    }
    close(fds[0]);
    waitpid(pid, NULL, 0);
    pthread_barrier_wait(&g_fork_barrier);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&g_fork_barrier);
    int bits = 0;
    const char *at = strstr(buf, "bits ");
    if (at) {
        bits = atoi(at + 5);
    }
    CHECK(bits & 1, "a forked child has no phase open (depth 0)");
    CHECK(bits & 2, "a forked child's current phase is \"\"");
    CHECK(bits & 4, "a forked child cannot end the parent's phase");
    CHECK(bits & 8, "a forked child is back to SCHED_OTHER outside any phase, though its parent's phase was throughput");
    CHECK(bits & 16, "a forked child opens and ends phases of its own");
    CHECK(strstr(buf, "was still open") == NULL, "a forked child's exit reports no phase of its parent's threads: %s", buf);
    CHECK(gpuos_phase_depth() == 1 && gpuos_phase_end("parent-phase") == 0, "the parent's phase is still open after the fork, and ends");
}

int main(void)
{
    CHECK(gpuos_abi_version() == GPUOS_ABI_VERSION, "ABI version %d", gpuos_abi_version());
    test_phase_balance();
    test_class_reaches_os();
    test_completion_once();
    test_fd_pollable();
    test_adaptive();
    test_timeout_names_phase();
    test_vendor_absent();
    test_open_at_exit();
    test_names_refused();
    test_fork_child_starts_with_no_phase();
    printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
