/* Completions: an eventfd a vendor host callback signals, and the spin, park and adaptive waits on it. */
#define _GNU_SOURCE
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct gpuos_completion {
    gpuos_vendor vendor;
    int fd;
    int exported;           /* the fd was handed out: every signal writes it */
    uint64_t armed;         /* arms so far (written by the arming thread) */
    uint64_t signalled;     /* signals so far (atomic) */
    uint64_t extra;         /* signals beyond the arms */
    int parkers;            /* threads in poll(2) on the fd (atomic) */
    int refs;               /* the owner plus one per arm not yet signalled (atomic) */
    int64_t armed_ns;       /* CLOCK_MONOTONIC at the latest arm */
    int64_t signalled_ns;   /* CLOCK_MONOTONIC at the latest signal */
    int64_t expect_ns;      /* a hint for the next adaptive wait, or -1 */
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void release(gpuos_completion *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        close(c->fd);
        free(c);
    }
}

/* ---- Vendor entry points, resolved with dlopen at the first completion of each vendor ------------------------- */

typedef void (*host_fn)(void *);
typedef int (*launch_host_fn)(void *stream, host_fn fn, void *user);
typedef int (*cl_marker_fn)(void *queue, unsigned n, const void *wait, void **event);
typedef int (*cl_set_cb_fn)(void *event, int type, void (*fn)(void *, int, void *), void *user);
typedef int (*cl_release_fn)(void *event);
typedef int (*cl_flush_fn)(void *queue);

static struct {
    pthread_once_t once;
    char error[200];
    launch_host_fn launch;
} g_cuda = {PTHREAD_ONCE_INIT, "", 0}, g_hip = {PTHREAD_ONCE_INIT, "", 0};

static struct {
    pthread_once_t once;
    char error[200];
    cl_marker_fn marker;
    cl_set_cb_fn set_callback;
    cl_release_fn release;
    cl_flush_fn flush;
} g_cl = {PTHREAD_ONCE_INIT, "", 0, 0, 0, 0};

static void *open_lib(const char *name, char *error, size_t size)
{
    void *h = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(error, size, "%s could not be loaded: %s", name, why ? why : "unknown reason");
    }
    return h;
}

static void *need(void *lib, const char *symbol, char *error, size_t size)
{
    void *p = lib ? dlsym(lib, symbol) : NULL;
    if (lib && !p) {
        snprintf(error, size, "the vendor library has no %s (too old?)", symbol);
    }
    return p;
}

static void load_cuda(void)
{
    void *lib = open_lib("libcuda.so.1", g_cuda.error, sizeof g_cuda.error);
    g_cuda.launch = (launch_host_fn)need(lib, "cuLaunchHostFunc", g_cuda.error, sizeof g_cuda.error);
}

static void load_hip(void)
{
    void *lib = open_lib("libamdhip64.so", g_hip.error, sizeof g_hip.error);
    g_hip.launch = (launch_host_fn)need(lib, "hipLaunchHostFunc", g_hip.error, sizeof g_hip.error);
}

static void load_cl(void)
{
    void *lib = open_lib("libOpenCL.so.1", g_cl.error, sizeof g_cl.error);
    g_cl.marker = (cl_marker_fn)need(lib, "clEnqueueMarkerWithWaitList", g_cl.error, sizeof g_cl.error);
    g_cl.set_callback = (cl_set_cb_fn)need(lib, "clSetEventCallback", g_cl.error, sizeof g_cl.error);
    g_cl.release = (cl_release_fn)need(lib, "clReleaseEvent", g_cl.error, sizeof g_cl.error);
    g_cl.flush = (cl_flush_fn)need(lib, "clFlush", g_cl.error, sizeof g_cl.error);
}

static const char *vendor_name(gpuos_vendor v)
{
    return v == GPUOS_VENDOR_CUDA ? "cuda" : v == GPUOS_VENDOR_OPENCL ? "opencl" : v == GPUOS_VENDOR_HIP ? "hip" : "manual";
}

static int vendor_ready(gpuos_vendor v)
{
    switch (v) {
    case GPUOS_VENDOR_MANUAL:
        return GPUOS_OK;
    case GPUOS_VENDOR_CUDA:
        pthread_once(&g_cuda.once, load_cuda);
        return g_cuda.launch ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(cuda): %s", g_cuda.error);
    case GPUOS_VENDOR_HIP:
        pthread_once(&g_hip.once, load_hip);
        return g_hip.launch ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(hip): %s", g_hip.error);
    case GPUOS_VENDOR_OPENCL:
        pthread_once(&g_cl.once, load_cl);
        return g_cl.marker && g_cl.set_callback && g_cl.release && g_cl.flush
            ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(opencl): %s", g_cl.error);
    }
    return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_create: unknown vendor %d (0 manual, 1 cuda, 2 opencl, 3 hip)", (int)v);
}

/* The host callbacks run on the vendor's own thread: one atomic add, and a write only when someone listens. */
static void on_host(void *user)
{
    gpuos_completion *c = user;
    gpuos_completion_signal(c);
    release(c);
}

static void on_cl_event(void *event, int status, void *user)
{
    (void)status; /* an error status also ends the work: the waiter must not hang on it */
    on_host(user);
    g_cl.release(event);
}

/* ---- The API ----------------------------------------------------------------------------------------------------- */

gpuos_completion *gpuos_completion_create(gpuos_vendor vendor)
{
    if (vendor_ready(vendor) != GPUOS_OK) {
        return NULL;
    }
    gpuos_completion *c = calloc(1, sizeof *c);
    if (!c) {
        gpuos__fail(GPUOS_ESYS, "gpuos_completion_create: out of memory");
        return NULL;
    }
    c->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (c->fd < 0) {
        gpuos__fail(GPUOS_ESYS, "gpuos_completion_create: eventfd failed (%s)", strerror(errno));
        free(c);
        return NULL;
    }
    c->vendor = vendor;
    c->refs = 1;
    c->expect_ns = -1;
    return c;
}

int gpuos_completion_arm(gpuos_completion *c, void *stream)
{
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_arm: the completion is NULL");
    }
    if (c->vendor != GPUOS_VENDOR_MANUAL && !stream && c->vendor != GPUOS_VENDOR_CUDA && c->vendor != GPUOS_VENDOR_HIP) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_arm(%s): the queue is NULL", vendor_name(c->vendor));
    }
    c->armed_ns = now_ns();
    __atomic_add_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&c->armed, 1, __ATOMIC_SEQ_CST);
    int rc = 0;
    const char *call = "";
    switch (c->vendor) {
    case GPUOS_VENDOR_MANUAL:
        /* The caller signals; the reference is dropped by gpuos_completion_signal's owner-side bookkeeping below. */
        __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
        return GPUOS_OK;
    case GPUOS_VENDOR_CUDA:
        call = "cuLaunchHostFunc";
        rc = g_cuda.launch(stream, on_host, c);
        break;
    case GPUOS_VENDOR_HIP:
        call = "hipLaunchHostFunc";
        rc = g_hip.launch(stream, on_host, c);
        break;
    case GPUOS_VENDOR_OPENCL: {
        void *event = NULL;
        call = "clEnqueueMarkerWithWaitList";
        rc = g_cl.marker(stream, 0, NULL, &event);
        if (rc == 0) {
            call = "clSetEventCallback";
            rc = g_cl.set_callback(event, 0 /* CL_COMPLETE */, on_cl_event, c);
            if (rc != 0) {
                g_cl.release(event);
            }
        }
        if (rc == 0) {
            call = "clFlush";
            rc = g_cl.flush(stream);
            if (rc != 0) {
                /* The callback is registered and will still run once the queue is flushed by someone. */
                return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(opencl): clFlush failed with %d", rc);
            }
        }
        break;
    }
    }
    if (rc != 0) {
        __atomic_sub_fetch(&c->armed, 1, __ATOMIC_SEQ_CST);
        __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(%s): %s failed with %d (is the stream or queue alive, and its context current?)",
            vendor_name(c->vendor), call, rc);
    }
    return GPUOS_OK;
}

int gpuos_completion_signal(gpuos_completion *c)
{
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_signal: the completion is NULL");
    }
    __atomic_store_n(&c->signalled_ns, now_ns(), __ATOMIC_RELAXED);
    uint64_t s = __atomic_add_fetch(&c->signalled, 1, __ATOMIC_SEQ_CST);
    if (s > __atomic_load_n(&c->armed, __ATOMIC_SEQ_CST)) {
        __atomic_add_fetch(&c->extra, 1, __ATOMIC_RELAXED);
    }
    /* Dekker with the waiter: it raises parkers, then re-reads signalled, then polls. */
    if (__atomic_load_n(&c->parkers, __ATOMIC_SEQ_CST) > 0 || __atomic_load_n(&c->exported, __ATOMIC_RELAXED)) {
        uint64_t one = 1;
        ssize_t w = write(c->fd, &one, sizeof one);
        (void)w; /* EAGAIN only when the counter is about to overflow, and then it is readable anyway */
    }
    return GPUOS_OK;
}

int gpuos_completion_test(const gpuos_completion *c)
{
    return c && __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE) >= __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
}

int gpuos_completion_fd(gpuos_completion *c)
{
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_fd: the completion is NULL");
    }
    __atomic_store_n(&c->exported, 1, __ATOMIC_SEQ_CST);
    /* A signal that came before the fd was handed out wrote nothing: make the fd readable for it. */
    if (__atomic_load_n(&c->signalled, __ATOMIC_SEQ_CST) > 0) {
        uint64_t one = 1;
        ssize_t w = write(c->fd, &one, sizeof one);
        (void)w;
    }
    return c->fd;
}

void gpuos_completion_expect(gpuos_completion *c, int64_t expected_ns)
{
    if (c) {
        c->expect_ns = expected_ns;
    }
}

void gpuos_completion_counts(const gpuos_completion *c, uint64_t *armed, uint64_t *signalled, uint64_t *extra)
{
    if (!c) {
        return;
    }
    if (armed) *armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    if (signalled) *signalled = __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE);
    if (extra) *extra = __atomic_load_n(&c->extra, __ATOMIC_ACQUIRE);
}

void gpuos_completion_destroy(gpuos_completion *c)
{
    if (c) {
        release(c);
    }
}

/* ---- Learning: expected wait per phase name, an exponential average in a small open-addressed table ----------- */

#define LEARN_SLOTS 64
static struct {
    uint64_t hash;
    int64_t ema;
} g_learned[LEARN_SLOTS];
static int64_t g_spin_limit = 50000;

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h | 1; /* 0 marks a free slot */
}

static int slot_of(uint64_t h, int create)
{
    for (int i = 0; i < LEARN_SLOTS; i++) {
        int k = (int)((h + (uint64_t)i) % LEARN_SLOTS);
        uint64_t seen = __atomic_load_n(&g_learned[k].hash, __ATOMIC_ACQUIRE);
        if (seen == h) {
            return k;
        }
        if (seen == 0) {
            if (!create) {
                return -1;
            }
            uint64_t expected = 0;
            if (__atomic_compare_exchange_n(&g_learned[k].hash, &expected, h, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) || expected == h) {
                return k;
            }
        }
    }
    return -1;
}

int64_t gpuos_learned_ns(const char *phase)
{
    int k = slot_of(hash_name(phase ? phase : ""), 0);
    return k < 0 ? -1 : __atomic_load_n(&g_learned[k].ema, __ATOMIC_RELAXED) - 1;
}

static void learn(const char *phase, int64_t duration)
{
    int k = slot_of(hash_name(phase), 1);
    if (k < 0 || duration < 0) {
        return;
    }
    /* Stored plus one, so that 0 means "no sample yet". */
    int64_t old = __atomic_load_n(&g_learned[k].ema, __ATOMIC_RELAXED) - 1;
    int64_t next = old < 0 ? duration : (3 * old + duration) / 4;
    __atomic_store_n(&g_learned[k].ema, next + 1, __ATOMIC_RELAXED);
}

int64_t gpuos_set_spin_limit(int64_t ns)
{
    return __atomic_exchange_n(&g_spin_limit, ns < 0 ? 0 : ns, __ATOMIC_RELAXED);
}

/* ---- Waiting ---------------------------------------------------------------------------------------------------- */

static int done(const gpuos_completion *c, uint64_t target)
{
    return __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE) >= target;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* Spins until done or until the clock passes `until`; returns 1 when done. */
static int spin_until(const gpuos_completion *c, uint64_t target, int64_t until)
{
    for (unsigned i = 0;; i++) {
        if (done(c, target)) {
            return 1;
        }
        cpu_relax();
        if ((i & 63) == 63 && until >= 0 && now_ns() >= until) {
            return done(c, target);
        }
    }
}

/* Parks in poll(2) until done or the deadline (-1: none); returns 1 when done. */
static int park_until(gpuos_completion *c, uint64_t target, int64_t deadline, int *parks)
{
    __atomic_add_fetch(&c->parkers, 1, __ATOMIC_SEQ_CST);
    int ok = 0;
    for (;;) {
        if (done(c, target)) {
            ok = 1;
            break;
        }
        int timeout_ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ns();
            if (left <= 0) {
                break;
            }
            timeout_ms = (int)((left + 999999) / 1000000);
        }
        struct pollfd p = {c->fd, POLLIN, 0};
        (*parks)++;
        int r = poll(&p, 1, timeout_ms);
        if (r > 0) {
            uint64_t v;
            ssize_t n = read(c->fd, &v, sizeof v); /* drains every signal so far; EAGAIN if another waiter won */
            (void)n;
        } else if (r < 0 && errno != EINTR) {
            break;
        }
    }
    __atomic_sub_fetch(&c->parkers, 1, __ATOMIC_SEQ_CST);
    return ok;
}

int gpuos_completion_wait(gpuos_completion *c, gpuos_wait_policy policy, int64_t timeout_ns, gpuos_wait_info *info)
{
    gpuos_wait_info local;
    gpuos_wait_info *w = info ? info : &local;
    memset(w, 0, sizeof *w);
    w->policy = (int32_t)policy;
    w->expected_ns = -1;
    w->wake_ns = -1;
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_wait: the completion is NULL");
    }
    if ((int)policy < GPUOS_WAIT_SPIN || policy > GPUOS_WAIT_ADAPTIVE) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_wait: unknown policy %d (0 spin, 1 park, 2 adaptive)", (int)policy);
    }
    uint64_t target = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    if (target == 0) {
        return gpuos__fail(GPUOS_ENOTARMED, "gpuos_completion_wait in phase \"%s\": the completion was never armed", gpuos_phase_current());
    }
    int64_t start = now_ns();
    int64_t deadline = timeout_ns < 0 ? -1 : start + timeout_ns;
    const char *phase = gpuos_phase_current();
    int ok;
    if (done(c, target)) {
        w->decision = 3;
        ok = 1;
    } else if (policy == GPUOS_WAIT_SPIN) {
        w->decision = 0;
        ok = spin_until(c, target, deadline);
        w->spun_ns = now_ns() - start;
    } else if (policy == GPUOS_WAIT_PARK) {
        w->decision = 1;
        ok = park_until(c, target, deadline, &w->parks);
    } else {
        /* Adaptive: a hint wins, else what this phase taught; spin when the rest is within the limit, else park. */
        int64_t expected = c->expect_ns >= 0 ? c->expect_ns : gpuos_learned_ns(phase);
        c->expect_ns = -1;
        int64_t limit = __atomic_load_n(&g_spin_limit, __ATOMIC_RELAXED);
        int64_t remaining = expected < 0 ? limit : expected - (start - c->armed_ns);
        w->expected_ns = expected < 0 ? -1 : remaining;
        if (remaining > limit) {
            w->decision = 1;
            ok = park_until(c, target, deadline, &w->parks);
        } else {
            /* Spin for the remaining time plus a quarter (at least 1 us) of slack, then park. */
            int64_t slack = remaining / 4 > 1000 ? remaining / 4 : 1000;
            int64_t until = start + (remaining > 0 ? remaining : 0) + slack;
            if (deadline >= 0 && until > deadline) {
                until = deadline;
            }
            ok = spin_until(c, target, until);
            w->spun_ns = now_ns() - start;
            w->decision = 0;
            if (!ok) {
                w->decision = 2;
                ok = park_until(c, target, deadline, &w->parks);
            }
        }
    }
    int64_t end = now_ns();
    w->waited_ns = end - start;
    if (!ok) {
        uint64_t s = __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE);
        return gpuos__fail(GPUOS_ETIMEDOUT,
            "gpuos_completion_wait in phase \"%s\": timed out after %lld ms (%s, armed %llu, signalled %llu): the vendor callback never fired; "
            "the stream may have been destroyed or the device hung",
            *phase ? phase : "(none)", (long long)(timeout_ns / 1000000), vendor_name(c->vendor), (unsigned long long)target, (unsigned long long)s);
    }
    int64_t sig = __atomic_load_n(&c->signalled_ns, __ATOMIC_RELAXED);
    if (w->decision != 3 && sig > 0) {
        w->wake_ns = end - sig > 0 ? end - sig : 0;
        learn(phase, sig - c->armed_ns);
    }
    return GPUOS_OK;
}
