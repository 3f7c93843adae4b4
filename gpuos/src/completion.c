/* Completions on each vendor's cheapest wake-up: a word the stream writes or the vendor's event status to spin on, the
 * driver's own blocking wait to park in (asked for only by a park: CUDA's blocking-sync event wakes a driver thread at
 * every record), a sleep through the learned time for the adaptive policy, and one gpuos thread per process that
 * signals the eventfd of the completions handed out to poll/epoll users. docs/abstraction.md says what each vendor path
 * costs and how each was chosen. */
#define _GNU_SOURCE
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* How a completion sees that its work is done (what the spin policy polls), and how a thread sleeps until it is (what
 * the park policy and the adaptive policy's fallback do). */
typedef enum spin_kind {
    SPIN_COUNTER, /* the signal counter: MANUAL, and the host-callback path */
    SPIN_WORD,    /* a host word the stream writes after the work (cuStreamWriteValue32, hipStreamWriteValue32) */
    SPIN_QUERY,   /* cuEventQuery / hipEventQuery on an event recorded after the work */
    SPIN_STATUS,  /* clGetEventInfo(CL_EVENT_COMMAND_EXECUTION_STATUS) on a marker event */
    SPIN_WAIT     /* clWaitForEvents: the vendor's own wait, however it waits */
} spin_kind;

typedef enum park_kind {
    PARK_EVENTFD, /* poll(2) on the eventfd the signaller writes: MANUAL, and the host-callback path */
    PARK_EVENT,   /* cuEventSynchronize / hipEventSynchronize on a blocking-sync event, recorded at the park on gpuos's own
                     stream behind a wait for the arm's event */
    PARK_WAIT,    /* clWaitForEvents on the marker event */
    PARK_BACKOFF  /* the spin check between sleeps that double from 20 us to 1 ms */
} park_kind;

static const char *const k_spin_names[] = {"counter", "word", "query", "status", "wait"};
static const char *const k_park_names[] = {"eventfd", "event", "wait", "backoff"};

/* ---- Vendor entry points, resolved with dlopen at the first completion of each vendor ------------------------- */

typedef void (*host_fn)(void *);

/* CUDA's driver API and HIP have the same shapes for everything used here (pointers and 32-bit flags). */
typedef struct stream_api {
    pthread_once_t once;
    char error[200];
    const char *lib;
    int (*launch_host)(void *stream, host_fn fn, void *user);
    int (*get_ctx)(void **ctx);                   /* cuCtxGetCurrent; HIP: hipGetDevice into an int */
    int (*set_ctx)(void *ctx);                    /* cuCtxSetCurrent; HIP: hipSetDevice */
    int (*host_alloc)(void **p, size_t n, unsigned flags);
    int (*host_devptr)(void **d, void *p, unsigned flags);
    int (*host_free)(void *p);
    int (*write32)(void *stream, void *dptr, uint32_t value, unsigned flags);
    int (*event_create)(void **ev, unsigned flags);
    int (*event_record)(void *ev, void *stream);
    int (*event_query)(void *ev);
    int (*event_sync)(void *ev);
    int (*event_destroy)(void *ev);
    int (*stream_create)(void **stream, unsigned flags);
    int (*stream_wait_event)(void *stream, void *ev, unsigned flags);
    int (*stream_destroy)(void *stream);
} stream_api;

static stream_api g_cuda = {PTHREAD_ONCE_INIT, "", "libcuda.so.1", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static stream_api g_hip = {PTHREAD_ONCE_INIT, "", "libamdhip64.so", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

static struct {
    pthread_once_t once;
    char error[200];
    int (*marker)(void *queue, unsigned n, const void *wait, void **event);
    int (*set_callback)(void *event, int type, void (*fn)(void *, int, void *), void *user);
    int (*retain)(void *event);
    int (*release)(void *event);
    int (*flush)(void *queue);
    int (*event_info)(void *event, unsigned param, size_t size, void *value, size_t *ret);
    int (*wait)(unsigned n, void *const *events);
    int (*queue_info)(void *queue, unsigned param, size_t size, void *value, size_t *ret);
    int (*device_info)(void *device, unsigned param, size_t size, void *value, size_t *ret);
    int (*platform_info)(void *platform, unsigned param, size_t size, void *value, size_t *ret);
    /* Optional (OpenCL 1.2): without them the arm is a marker on every platform. */
    int (*fill)(void *queue, void *mem, const void *pattern, size_t pattern_size, size_t offset, size_t size, unsigned n, const void *wait,
        void **event);
    void *(*create_buffer)(void *context, uint64_t flags, size_t size, void *host, int *err);
    int (*release_mem)(void *mem);
} g_cl = {PTHREAD_ONCE_INIT, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

#define VENDOR_NOT_READY 600 /* CUDA_ERROR_NOT_READY, hipErrorNotReady */
#define EVENT_BLOCKING_SYNC_NO_TIMING 3u
#define EVENT_NO_TIMING 2u
#define STREAM_NON_BLOCKING 1u
#define HOST_ALLOC_PORTABLE_MAPPED 3u
#define CL_QUEUE_CONTEXT 0x1090u
#define CL_QUEUE_DEVICE 0x1091u
#define CL_QUEUE_PROPERTIES 0x1093u
#define CL_QUEUE_OUT_OF_ORDER 1u
#define CL_MEM_READ_WRITE 1u
#define CL_DEVICE_PLATFORM 0x1031u
#define CL_PLATFORM_NAME 0x0902u
#define CL_EVENT_COMMAND_EXECUTION_STATUS 0x11D3u

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
    if (lib && !p && !*error) {
        snprintf(error, size, "the vendor library has no %s (too old?)", symbol);
    }
    return p;
}

/* The first name that exists: the driver exports versioned entry points (_v2) beside the old ones. */
static void *either(void *lib, const char *a, const char *b)
{
    void *p = lib ? dlsym(lib, a) : NULL;
    return p ? p : lib ? dlsym(lib, b) : NULL;
}

#define NEED(api, lib, field, sym) (api).field = (__typeof__((api).field))need(lib, sym, (api).error, sizeof (api).error)

static void load_cuda(void)
{
    void *lib = open_lib(g_cuda.lib, g_cuda.error, sizeof g_cuda.error);
    NEED(g_cuda, lib, launch_host, "cuLaunchHostFunc");
    NEED(g_cuda, lib, get_ctx, "cuCtxGetCurrent");
    NEED(g_cuda, lib, set_ctx, "cuCtxSetCurrent");
    NEED(g_cuda, lib, host_alloc, "cuMemHostAlloc");
    g_cuda.host_devptr = (__typeof__(g_cuda.host_devptr))either(lib, "cuMemHostGetDevicePointer_v2", "cuMemHostGetDevicePointer");
    NEED(g_cuda, lib, host_free, "cuMemFreeHost");
    /* Optional: without stream memory operations the spin polls the event instead. */
    g_cuda.write32 = (__typeof__(g_cuda.write32))either(lib, "cuStreamWriteValue32_v2", "cuStreamWriteValue32");
    NEED(g_cuda, lib, event_create, "cuEventCreate");
    NEED(g_cuda, lib, event_record, "cuEventRecord");
    NEED(g_cuda, lib, event_query, "cuEventQuery");
    NEED(g_cuda, lib, event_sync, "cuEventSynchronize");
    g_cuda.event_destroy = (__typeof__(g_cuda.event_destroy))either(lib, "cuEventDestroy_v2", "cuEventDestroy");
    NEED(g_cuda, lib, stream_create, "cuStreamCreate");
    NEED(g_cuda, lib, stream_wait_event, "cuStreamWaitEvent");
    g_cuda.stream_destroy = (__typeof__(g_cuda.stream_destroy))either(lib, "cuStreamDestroy_v2", "cuStreamDestroy");
}

static void load_hip(void)
{
    void *lib = open_lib(g_hip.lib, g_hip.error, sizeof g_hip.error);
    NEED(g_hip, lib, launch_host, "hipLaunchHostFunc");
    NEED(g_hip, lib, get_ctx, "hipGetDevice");
    NEED(g_hip, lib, set_ctx, "hipSetDevice");
    NEED(g_hip, lib, host_alloc, "hipHostMalloc");
    NEED(g_hip, lib, host_devptr, "hipHostGetDevicePointer");
    NEED(g_hip, lib, host_free, "hipHostFree");
    g_hip.write32 = (__typeof__(g_hip.write32))(lib ? dlsym(lib, "hipStreamWriteValue32") : NULL);
    NEED(g_hip, lib, event_create, "hipEventCreateWithFlags");
    NEED(g_hip, lib, event_record, "hipEventRecord");
    NEED(g_hip, lib, event_query, "hipEventQuery");
    NEED(g_hip, lib, event_sync, "hipEventSynchronize");
    NEED(g_hip, lib, event_destroy, "hipEventDestroy");
    NEED(g_hip, lib, stream_create, "hipStreamCreateWithFlags");
    NEED(g_hip, lib, stream_wait_event, "hipStreamWaitEvent");
    NEED(g_hip, lib, stream_destroy, "hipStreamDestroy");
}

static void load_cl(void)
{
    void *lib = open_lib("libOpenCL.so.1", g_cl.error, sizeof g_cl.error);
    NEED(g_cl, lib, marker, "clEnqueueMarkerWithWaitList");
    NEED(g_cl, lib, set_callback, "clSetEventCallback");
    NEED(g_cl, lib, retain, "clRetainEvent");
    NEED(g_cl, lib, release, "clReleaseEvent");
    NEED(g_cl, lib, flush, "clFlush");
    NEED(g_cl, lib, event_info, "clGetEventInfo");
    NEED(g_cl, lib, wait, "clWaitForEvents");
    NEED(g_cl, lib, queue_info, "clGetCommandQueueInfo");
    NEED(g_cl, lib, device_info, "clGetDeviceInfo");
    NEED(g_cl, lib, platform_info, "clGetPlatformInfo");
    g_cl.fill = (__typeof__(g_cl.fill))(lib ? dlsym(lib, "clEnqueueFillBuffer") : NULL);
    g_cl.create_buffer = (__typeof__(g_cl.create_buffer))(lib ? dlsym(lib, "clCreateBuffer") : NULL);
    g_cl.release_mem = (__typeof__(g_cl.release_mem))(lib ? dlsym(lib, "clReleaseMemObject") : NULL);
}

static int stream_api_ready(const stream_api *a)
{
    return a->launch_host && a->get_ctx && a->set_ctx && a->host_alloc && a->host_devptr && a->host_free && a->event_create &&
           a->event_record && a->event_query && a->event_sync && a->event_destroy && a->stream_create && a->stream_wait_event && a->stream_destroy;
}

static int cl_ready(void)
{
    return g_cl.marker && g_cl.set_callback && g_cl.retain && g_cl.release && g_cl.flush && g_cl.event_info && g_cl.wait &&
           g_cl.queue_info && g_cl.device_info && g_cl.platform_info;
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
        return stream_api_ready(&g_cuda) ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(cuda): %s", g_cuda.error);
    case GPUOS_VENDOR_HIP:
        pthread_once(&g_hip.once, load_hip);
        return stream_api_ready(&g_hip) ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(hip): %s", g_hip.error);
    case GPUOS_VENDOR_OPENCL:
        pthread_once(&g_cl.once, load_cl);
        return cl_ready() ? GPUOS_OK : gpuos__fail(GPUOS_ENOVENDOR, "gpuos_completion_create(opencl): %s", g_cl.error);
    }
    return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_create: unknown vendor %d (0 manual, 1 cuda, 2 opencl, 3 hip)", (int)v);
}

/* ---- The completion ------------------------------------------------------------------------------------------- */

#define OWN_SLOTS 4
typedef struct learn_slot {
    uint64_t key; /* the phase's hash, 0: free */
    int64_t ema;  /* plus one, so that 0 means "no sample yet" */
    int64_t dev;
} learn_slot;

struct gpuos_completion {
    gpuos_vendor vendor;
    int fd;
    int exported;          /* the fd was handed out: every completion makes it readable */
    int callbacks;         /* the host-callback path (the first design): arms enqueue a vendor callback that signals */
    int chosen;            /* OpenCL: the platform was read and the mechanisms chosen (at the first arm) */
    int arm_fill;          /* OpenCL: the arm queues a 4-byte fill of a gpuos buffer instead of a marker (in-order queues) */
    spin_kind spin;
    park_kind park;
    uint64_t armed;        /* arms so far (published after the vendor calls, so an observer never credits a later arm) */
    uint64_t signalled;    /* arms seen done so far, or signals (MANUAL, callbacks) (atomic) */
    uint64_t extra;        /* signals beyond the arms */
    uint64_t queued_upto;  /* the latest arm handed to the watcher thread */
    int parkers;           /* threads parked on the fd (atomic) */
    int refs;              /* the owner, each pending callback and each watcher entry (atomic) */
    int64_t armed_ns;      /* CLOCK_MONOTONIC at the latest arm */
    int64_t signalled_ns;  /* CLOCK_MONOTONIC at the latest signal or sighting */
    int64_t expect_ns;     /* a hint for the next adaptive wait, or -1 */
    uint64_t learn_key;    /* the arming thread's phase at the latest arm: what its waits teach */
    learn_slot learned[OWN_SLOTS]; /* what this completion's waits taught, per arming phase */
    unsigned next_slot;
    /* CUDA and HIP: bound to the context (HIP: device) current at the first arm. */
    const stream_api *api;
    int bound;
    void *ctx;
    void *event;           /* no timing, no blocking sync (its records wake no driver thread); recorded at every arm */
    void *park_stream;     /* gpuos's own non-blocking stream and blocking-sync event, made at the first park (lock) */
    void *park_event;
    volatile uint32_t *word;
    void *word_dev;
    /* OpenCL: the latest arm's event (a marker's or a fill's), swapped under the lock. */
    pthread_mutex_t lock;
    void *cl_event;
    uint64_t cl_event_seq;
    void *fill_mem;        /* the fill's buffer, in fill_context; fill_queue is the latest queue checked for a fill */
    void *fill_context;
    void *fill_queue;
    int fill_queue_in_order;
    char platform[64];
    char mechanism[200];
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void free_vendor_state(gpuos_completion *c)
{
    if (c->api && c->bound) {
        void *was = NULL;
        /* cuMemFreeHost needs the context; after the context is gone these fail, and the driver freed them with it. */
        c->api->get_ctx(&was);
        c->api->set_ctx(c->ctx);
        if (c->event) {
            c->api->event_destroy(c->event);
        }
        if (c->park_event) {
            c->api->event_destroy(c->park_event);
        }
        if (c->park_stream) {
            c->api->stream_destroy(c->park_stream); /* a wait still queued on it releases the stream when it ends */
        }
        if (c->word) {
            c->api->host_free((void *)c->word);
        }
        c->api->set_ctx(was);
    }
    if (c->cl_event) {
        g_cl.release(c->cl_event);
    }
    if (c->fill_mem) {
        g_cl.release_mem(c->fill_mem); /* a fill still queued on it keeps it alive until it ends */
    }
}

static void release(gpuos_completion *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        free_vendor_state(c);
        pthread_mutex_destroy(&c->lock);
        close(c->fd);
        free(c);
    }
}

static void describe(gpuos_completion *c)
{
    if (c->vendor == GPUOS_VENDOR_MANUAL) {
        snprintf(c->mechanism, sizeof c->mechanism, "manual: spin on the signal counter, park in poll(2) on the eventfd");
    } else if (c->callbacks) {
        snprintf(c->mechanism, sizeof c->mechanism, "%s%s%s: host callback (%s) writes the eventfd; spin on the signal counter, park in poll(2)",
            vendor_name(c->vendor), *c->platform ? " " : "", c->platform,
            c->vendor == GPUOS_VENDOR_OPENCL ? "clSetEventCallback" : c->vendor == GPUOS_VENDOR_CUDA ? "cuLaunchHostFunc" : "hipLaunchHostFunc");
    } else {
        snprintf(c->mechanism, sizeof c->mechanism, "%s%s%s: spin=%s park=%s%s%s", vendor_name(c->vendor), *c->platform ? " " : "", c->platform,
            k_spin_names[c->spin], k_park_names[c->park], c->arm_fill ? " arm=fill (a marker on out-of-order queues)" : "",
            c->vendor == GPUOS_VENDOR_OPENCL && !*c->platform ? " (platform read at the first arm)" : "");
    }
}

/* GPUOS_<VENDOR>_WAKE overrides the choice, for measuring the options: "callback", or "spin=word,park=event". For
 * OpenCL, items separated by ';' may name the platforms they apply to by a prefix of the name and '@'
 * ("NVIDIA@spin=status,park=wait;Portable@callback"), an item without '@' applies to every platform, and "arm=marker"
 * or "arm=fill" picks what the arm queues. */
static void apply_override(gpuos_completion *c)
{
    const char *var = c->vendor == GPUOS_VENDOR_CUDA ? "GPUOS_CUDA_WAKE" : c->vendor == GPUOS_VENDOR_HIP ? "GPUOS_HIP_WAKE" : "GPUOS_OPENCL_WAKE";
    const char *all = getenv(var);
    if (!all || !*all) {
        return;
    }
    char item[160];
    const char *v = NULL;
    for (const char *p = all; *p && !v;) {
        size_t n = strcspn(p, ";");
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        char *at = strchr(item, '@');
        if (!at) {
            v = item;
        } else if (strncmp(c->platform, item, (size_t)(at - item)) == 0) {
            v = at + 1;
        }
        p += n + (p[n] == ';');
    }
    if (!v) {
        return;
    }
    int stream = c->vendor != GPUOS_VENDOR_OPENCL;
    if (!stream && strstr(v, "arm=marker")) {
        c->arm_fill = 0;
    } else if (!stream && strstr(v, "arm=fill")) {
        c->arm_fill = g_cl.fill && g_cl.create_buffer && g_cl.release_mem;
    }
    if (strncmp(v, "callback", 8) == 0) {
        c->callbacks = 1;
        c->spin = SPIN_COUNTER;
        c->park = PARK_EVENTFD;
        return;
    }
    /* Not the callback path, even where it is the platform's default: what the item leaves out is the vendor's own. */
    c->callbacks = 0;
    if (c->spin == SPIN_COUNTER) {
        c->spin = stream ? (c->api->write32 ? SPIN_WORD : SPIN_QUERY) : SPIN_STATUS;
    }
    if (c->park == PARK_EVENTFD) {
        c->park = stream ? PARK_EVENT : PARK_WAIT;
    }
    for (int i = 0; i < 5; i++) {
        char key[16];
        snprintf(key, sizeof key, "spin=%s", k_spin_names[i]);
        int fits = i == SPIN_WORD || i == SPIN_QUERY ? stream : i == SPIN_STATUS || i == SPIN_WAIT ? !stream : 0;
        if (strstr(v, key) && fits) {
            c->spin = (spin_kind)i;
        }
    }
    for (int i = 0; i < 4; i++) {
        char key[16];
        snprintf(key, sizeof key, "park=%s", k_park_names[i]);
        int fits = i == PARK_EVENT ? stream : i == PARK_WAIT ? !stream : i == PARK_BACKOFF;
        if (strstr(v, key) && fits) {
            c->park = (park_kind)i;
        }
    }
}

/* The OpenCL choice per platform, picked by measurement on the H200 host on 2026-12-06 (tools/pick-wakeups.py over
 * three candidates, docs/evaluation-h200.md):
 * - NVIDIA: spin on the status, park in clWaitForEvents (no syscall: it spins; the callback's thread calls sched_yield
 *   until the event is done, 850 to 1,200 times a wait). The arm queues a fill, not a marker. With a marker the waiting
 *   thread stayed on its CPU through the whole kernel before its wait began, in every policy (adaptive waits never
 *   slept: 0 switches in 20) and in the first design, which made no status call: so the launch or the arm held it. A
 *   kernel launch and a flush do not hold the thread on NVIDIA (hashcat sleeps right after exactly those), which leaves
 *   the marker, or a flush with a marker queued; a fill is queued work, as a kernel is. That is inferred, not yet
 *   measured: the evaluation's "gpuos waits" notes time each arm.
 * - PoCL: the host callback writes the eventfd (the first design). Polling the status takes the event's lock, which
 *   PoCL's workers hold, and its clWaitForEvents costs more syscalls than the callback's eventfd.
 * - Any other platform: the status spin and clWaitForEvents park, with a marker, untested. */
static void choose_cl(gpuos_completion *c, void *queue)
{
    c->chosen = 1;
    void *device = NULL;
    void *platform = NULL;
    if (g_cl.queue_info(queue, CL_QUEUE_DEVICE, sizeof device, &device, NULL) == 0 &&
        g_cl.device_info(device, CL_DEVICE_PLATFORM, sizeof platform, &platform, NULL) == 0) {
        g_cl.platform_info(platform, CL_PLATFORM_NAME, sizeof c->platform - 1, c->platform, NULL);
    }
    c->spin = SPIN_STATUS;
    c->park = PARK_WAIT;
    if (strncmp(c->platform, "Portable", 8) == 0) {
        c->callbacks = 1;
        c->spin = SPIN_COUNTER;
        c->park = PARK_EVENTFD;
    } else if (strncmp(c->platform, "NVIDIA", 6) == 0) {
        c->arm_fill = g_cl.fill && g_cl.create_buffer && g_cl.release_mem;
    }
    apply_override(c);
    describe(c);
}

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
    pthread_mutex_init(&c->lock, NULL);
    c->vendor = vendor;
    c->refs = 1;
    c->expect_ns = -1;
    c->spin = SPIN_COUNTER;
    c->park = PARK_EVENTFD;
    if (vendor == GPUOS_VENDOR_CUDA || vendor == GPUOS_VENDOR_HIP) {
        c->api = vendor == GPUOS_VENDOR_CUDA ? &g_cuda : &g_hip;
        c->spin = c->api->write32 ? SPIN_WORD : SPIN_QUERY;
        c->park = PARK_EVENT;
        apply_override(c);
    }
    describe(c);
    return c;
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a; keys the learned waits by phase */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h | 1; /* 0 marks a free slot */
}

/* ---- Seeing completion ------------------------------------------------------------------------------------------ */

static int64_t g_spin_limit = 50000;
static int64_t g_wake_margin = 100000;
/* How long an adaptive wait with nothing learned spins before it parks, where the work's end is seen, not signalled: it
 * sees the end of work up to this long and learns its length exactly. A vendor park's wake-up comes late (330 us past
 * the kernel for CUDA's blocking sync on the H200), and what a park teaches is that late wake: the next waits would
 * sleep past the end until they unlearned it. A signalled completion (MANUAL, the callback path) learns the signal's
 * time from a park too, so it spins only up to the spin limit: a 2 ms spin there took a core from PoCL's workers,
 * which run the kernel on the CPU (the 2-core VM: 200 to 270 us of waiter CPU per 200 us wait, against 50 to 130). */
#define LEARN_SPIN_NS 2000000

/* Raises signalled to `seen` (never lowers it) and notes when. */
static void advance(gpuos_completion *c, uint64_t seen)
{
    uint64_t s = __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE);
    while (seen > s) {
        if (__atomic_compare_exchange_n(&c->signalled, &s, seen, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&c->signalled_ns, now_ns(), __ATOMIC_RELAXED);
            break;
        }
    }
}

/* The latest arm whose work is done, as far as the completion's mechanism can tell without waiting. */
static __thread int t_watcher; /* the watcher thread reads the event, never the word (below) */

static uint64_t observe(gpuos_completion *c)
{
    uint64_t s = __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE);
    uint64_t armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    if (s >= armed || c->callbacks) {
        return s;
    }
    uint64_t seen = s;
    switch (c->spin) {
    case SPIN_COUNTER:
        return s;
    case SPIN_WORD:
        /* The watcher may outlive the context (a completion destroyed with work pending, then its context): the
         * driver frees the word's pages with the context, while an event query on a dead context just fails. */
        if (!t_watcher) {
            /* The word holds the low 32 bits of the latest arm the stream reached; arms past it are the difference. */
            int32_t behind = (int32_t)((uint32_t)armed - __atomic_load_n(c->word, __ATOMIC_ACQUIRE));
            seen = behind <= 0 ? armed : armed - (uint64_t)behind;
            break;
        }
        __attribute__((fallthrough)); /* the watcher queries the event */
    case SPIN_QUERY:
        if (c->event && c->api->event_query(c->event) != VENDOR_NOT_READY) {
            seen = armed; /* the event was recorded before `armed` was published, so its latest record covers it */
        }
        break;
    case SPIN_STATUS:
    case SPIN_WAIT: {
        pthread_mutex_lock(&c->lock);
        int status = 1;
        if (c->cl_event && g_cl.event_info(c->cl_event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL) == 0 && status <= 0) {
            seen = c->cl_event_seq; /* CL_COMPLETE is 0; a negative status is an error, which also ends the work */
        }
        pthread_mutex_unlock(&c->lock);
        break;
    }
    }
    if (seen > s) {
        advance(c, seen);
    }
    return seen;
}

static int done(gpuos_completion *c, uint64_t target)
{
    return __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE) >= target || observe(c) >= target;
}

/* ---- Arming ----------------------------------------------------------------------------------------------------- */

static void on_host(void *user)
{
    gpuos_completion *c = user;
    gpuos_completion_signal(c);
    release(c);
}

static void on_cl_event(void *event, int status, void *user)
{
    (void)event;
    (void)status; /* an error status also ends the work: the waiter must not hang on it */
    on_host(user);
}

static void watch(gpuos_completion *c, uint64_t target);

/* CUDA and HIP: an event without blocking sync (a park records its own blocking-sync event: see park_event), and a
 * mapped host word the stream writes, in the current context. */
static int bind_stream_state(gpuos_completion *c)
{
    void *ctx = NULL;
    int rc = c->api->get_ctx(&ctx);
    if (c->bound) {
        return rc != 0 || ctx == c->ctx ? GPUOS_OK
            : gpuos__fail(GPUOS_EINVAL, "gpuos_completion_arm(%s): the completion was bound to context %p at its first arm, and %p is current; "
                                        "use one completion per context", vendor_name(c->vendor), c->ctx, ctx);
    }
    if (rc != 0) {
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(%s): %s failed with %d (is a context current?)", vendor_name(c->vendor),
            c->vendor == GPUOS_VENDOR_CUDA ? "cuCtxGetCurrent" : "hipGetDevice", rc);
    }
    c->ctx = ctx;
    rc = c->api->event_create(&c->event, EVENT_NO_TIMING);
    if (rc != 0) {
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(%s): %s failed with %d (is a context current?)", vendor_name(c->vendor),
            c->vendor == GPUOS_VENDOR_CUDA ? "cuEventCreate" : "hipEventCreateWithFlags", rc);
    }
    c->bound = 1;
    if (c->spin == SPIN_WORD) {
        void *host = NULL;
        if (c->api->host_alloc(&host, 64, HOST_ALLOC_PORTABLE_MAPPED) == 0 && c->api->host_devptr(&c->word_dev, host, 0) == 0) {
            c->word = host;
            *c->word = 0;
        } else {
            if (host) {
                c->api->host_free(host);
            }
            c->spin = SPIN_QUERY;
            describe(c);
        }
    }
    return GPUOS_OK;
}

static int arm_stream(gpuos_completion *c, void *stream, uint64_t seq, const char **call)
{
    int rc = bind_stream_state(c);
    if (rc != GPUOS_OK) {
        return rc;
    }
    if (c->spin == SPIN_WORD) {
        *call = c->vendor == GPUOS_VENDOR_CUDA ? "cuStreamWriteValue32" : "hipStreamWriteValue32";
        rc = c->api->write32(stream, c->word_dev, (uint32_t)seq, 0);
        if (rc != 0) {
            /* Stream memory operations are not supported here: poll the event instead, from this arm on. The word stays
             * allocated until the completion is freed, since another thread may be reading it now. */
            c->spin = SPIN_QUERY;
            describe(c);
        }
    }
    *call = c->vendor == GPUOS_VENDOR_CUDA ? "cuEventRecord" : "hipEventRecord";
    rc = c->api->event_record(c->event, stream);
    return rc == 0 ? GPUOS_OK : gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(%s): %s failed with %d (is the stream alive, and its context current?)",
                                    vendor_name(c->vendor), *call, rc);
}

/* Whether an arm on this queue may be a fill: an in-order queue (a fill on an out-of-order one would not wait for the
 * commands before it), with gpuos's 4-byte buffer made in the queue's context. */
static int fill_ready(gpuos_completion *c, void *queue)
{
    if (queue == c->fill_queue) {
        return c->fill_queue_in_order && c->fill_mem;
    }
    uint64_t props = 0;
    void *context = NULL;
    if (g_cl.queue_info(queue, CL_QUEUE_PROPERTIES, sizeof props, &props, NULL) != 0 ||
        g_cl.queue_info(queue, CL_QUEUE_CONTEXT, sizeof context, &context, NULL) != 0) {
        return 0;
    }
    c->fill_queue = queue;
    c->fill_queue_in_order = !(props & CL_QUEUE_OUT_OF_ORDER);
    if (c->fill_queue_in_order && context != c->fill_context) {
        if (c->fill_mem) {
            g_cl.release_mem(c->fill_mem);
        }
        int err = 0;
        c->fill_mem = g_cl.create_buffer(context, CL_MEM_READ_WRITE, 4, NULL, &err);
        c->fill_context = c->fill_mem ? context : NULL;
    }
    return c->fill_queue_in_order && c->fill_mem;
}

static int arm_cl(gpuos_completion *c, void *queue, uint64_t seq, const char **call)
{
    if (!c->chosen) {
        choose_cl(c, queue);
    }
    void *event = NULL;
    int rc;
    if (c->arm_fill && fill_ready(c, queue)) {
        static const uint32_t zero = 0;
        *call = "clEnqueueFillBuffer";
        rc = g_cl.fill(queue, c->fill_mem, &zero, sizeof zero, 0, sizeof zero, 0, NULL, &event);
    } else {
        *call = "clEnqueueMarkerWithWaitList";
        rc = g_cl.marker(queue, 0, NULL, &event);
    }
    if (rc == 0 && c->callbacks) {
        *call = "clSetEventCallback";
        __atomic_add_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
        rc = g_cl.set_callback(event, 0 /* CL_COMPLETE */, on_cl_event, c);
        if (rc != 0) {
            __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
        }
    }
    if (rc == 0) {
        *call = "clFlush";
        rc = g_cl.flush(queue);
    }
    if (rc != 0) {
        if (event) {
            g_cl.release(event);
        }
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(opencl): %s failed with %d (is the queue alive?)", *call, rc);
    }
    pthread_mutex_lock(&c->lock);
    void *old = c->cl_event;
    c->cl_event = event;
    c->cl_event_seq = seq;
    pthread_mutex_unlock(&c->lock);
    if (old) {
        g_cl.release(old);
    }
    return GPUOS_OK;
}

int gpuos_completion_arm(gpuos_completion *c, void *stream)
{
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_arm: the completion is NULL");
    }
    if (c->vendor == GPUOS_VENDOR_OPENCL && !stream) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_arm(opencl): the queue is NULL");
    }
    uint64_t seq = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE) + 1;
    c->learn_key = hash_name(gpuos_phase_current()); /* what this arm's waits will teach */
    c->armed_ns = now_ns();
    int rc = GPUOS_OK;
    const char *call = "";
    if (c->vendor == GPUOS_VENDOR_CUDA || c->vendor == GPUOS_VENDOR_HIP) {
        if (c->callbacks) {
            call = c->vendor == GPUOS_VENDOR_CUDA ? "cuLaunchHostFunc" : "hipLaunchHostFunc";
            __atomic_add_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
            rc = c->api->launch_host(stream, on_host, c);
            if (rc != 0) {
                __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
                rc = gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_arm(%s): %s failed with %d (is the stream alive, and its context current?)",
                    vendor_name(c->vendor), call, rc);
            }
        } else {
            rc = arm_stream(c, stream, seq, &call);
        }
    } else if (c->vendor == GPUOS_VENDOR_OPENCL) {
        rc = arm_cl(c, stream, seq, &call);
    }
    if (rc != GPUOS_OK) {
        return rc;
    }
    __atomic_store_n(&c->armed, seq, __ATOMIC_RELEASE);
    if (__atomic_load_n(&c->exported, __ATOMIC_ACQUIRE) && c->vendor != GPUOS_VENDOR_MANUAL && !c->callbacks) {
        watch(c, seq);
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
    /* Seeing completion only raises the signalled count, which any reader may do: the const is the caller's view. */
    gpuos_completion *m = (gpuos_completion *)c;
    return c && observe(m) >= __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
}

int gpuos_completion_fd(gpuos_completion *c)
{
    if (!c) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_completion_fd: the completion is NULL");
    }
    __atomic_store_n(&c->exported, 1, __ATOMIC_SEQ_CST);
    uint64_t armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    if (c->vendor != GPUOS_VENDOR_MANUAL && !c->callbacks && observe(c) < armed) {
        watch(c, armed); /* an arm from before the fd was handed out makes it readable too */
    }
    /* A completion from before the fd was handed out wrote nothing: make the fd readable for it. */
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
    uint64_t seen = observe((gpuos_completion *)c);
    if (armed) *armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    if (signalled) *signalled = seen;
    if (extra) *extra = __atomic_load_n(&c->extra, __ATOMIC_ACQUIRE);
}

const char *gpuos_completion_mechanism(const gpuos_completion *c)
{
    return c ? c->mechanism : "";
}

/* ---- Learning: expected wait per phase, an exponential average and its mean deviation ------------------------- */

#define LEARN_SLOTS 64
static struct {
    uint64_t hash;
    int64_t ema; /* plus one, so that 0 means "no sample yet" */
    int64_t dev;
} g_learned[LEARN_SLOTS];

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

/* One sample into an average (stored plus one, 0: none yet) and its mean deviation, weight 1/4. */
static void average(int64_t *ema, int64_t *dev, int64_t duration)
{
    int64_t old = __atomic_load_n(ema, __ATOMIC_RELAXED) - 1;
    int64_t next = old < 0 ? duration : (3 * old + duration) / 4;
    int64_t off = old < 0 ? 0 : duration > old ? duration - old : old - duration;
    __atomic_store_n(dev, (3 * __atomic_load_n(dev, __ATOMIC_RELAXED) + off) / 4, __ATOMIC_RELAXED);
    __atomic_store_n(ema, next + 1, __ATOMIC_RELAXED);
}

/* The completion's own slot for a phase: its adaptive waits use only what its own waits taught, since phases of one
 * name can hold waits of very different lengths on different streams (the catalogue's "steady": a 1 ms kernel in
 * sync-mode, the tail of a launch storm in launch-storm). */
static learn_slot *own_slot(gpuos_completion *c, uint64_t key, int create)
{
    for (int i = 0; i < OWN_SLOTS; i++) {
        if (__atomic_load_n(&c->learned[i].key, __ATOMIC_ACQUIRE) == key) {
            return &c->learned[i];
        }
    }
    if (!create) {
        return NULL;
    }
    learn_slot *s = &c->learned[c->next_slot++ % OWN_SLOTS];
    __atomic_store_n(&s->ema, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&s->dev, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&s->key, key, __ATOMIC_RELEASE);
    return s;
}

static int64_t learned(gpuos_completion *c, int64_t *dev)
{
    learn_slot *s = own_slot(c, c->learn_key, 0);
    *dev = s ? __atomic_load_n(&s->dev, __ATOMIC_RELAXED) : 0;
    return s ? __atomic_load_n(&s->ema, __ATOMIC_RELAXED) - 1 : -1;
}

static void learn(gpuos_completion *c, int64_t duration)
{
    if (duration < 0) {
        return;
    }
    learn_slot *s = own_slot(c, c->learn_key, 1);
    average(&s->ema, &s->dev, duration);
    int k = slot_of(c->learn_key, 1);
    if (k >= 0) {
        average(&g_learned[k].ema, &g_learned[k].dev, duration);
    }
}

int64_t gpuos_set_spin_limit(int64_t ns)
{
    return __atomic_exchange_n(&g_spin_limit, ns < 0 ? 0 : ns, __ATOMIC_RELAXED);
}

int64_t gpuos_set_wake_margin(int64_t ns)
{
    return __atomic_exchange_n(&g_wake_margin, ns < 0 ? 0 : ns, __ATOMIC_RELAXED);
}

/* ---- Waiting ---------------------------------------------------------------------------------------------------- */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* Spins until done or until the clock passes `until` (-1: never); returns 1 when done. */
static int spin_until(gpuos_completion *c, uint64_t target, int64_t until)
{
    if (c->spin == SPIN_WAIT && until < 0) {
        pthread_mutex_lock(&c->lock);
        void *event = c->cl_event;
        uint64_t seq = c->cl_event_seq;
        g_cl.retain(event);
        pthread_mutex_unlock(&c->lock);
        g_cl.wait(1, &event);
        g_cl.release(event);
        advance(c, seq);
        return 1;
    }
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

static void sleep_until(int64_t when)
{
    struct timespec ts = {(time_t)(when / 1000000000), (long)(when % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

/* Parks in poll(2) on the eventfd until done or the deadline (-1: none); returns 1 when done. `watched`: the signal
 * comes from the watcher thread, which is told about this arm once the waiter is counted among the parkers. */
static int park_eventfd(gpuos_completion *c, uint64_t target, int64_t deadline, int *parks, int watched)
{
    __atomic_add_fetch(&c->parkers, 1, __ATOMIC_SEQ_CST);
    if (watched && !done(c, target)) {
        watch(c, target);
    }
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

/* CUDA and HIP: the driver's own blocking wait, asked for by this park alone. A blocking-sync event's record makes the
 * device raise an interrupt that wakes the driver's event-handler thread (cuda-EvtHandlr: two poll(2) calls and a
 * switch per record on the H200), so the arm records only an event without blocking sync, and the park records a
 * blocking-sync event on gpuos's own non-blocking stream behind a wait for the arm's event, then synchronizes on it.
 * The stream wait takes the arm's event's latest record when it is queued: the wait's own arm, unless another thread
 * armed since, and then that later arm (never an earlier one). Work queued on the user's stream after the arm is not
 * waited for. Made at the first park, so a completion that never parks makes neither. */
static int park_event(gpuos_completion *c, gpuos_wait_info *w)
{
    const char *call = c->vendor == GPUOS_VENDOR_CUDA ? "cuStreamCreate" : "hipStreamCreateWithFlags";
    void *was = NULL;
    c->api->get_ctx(&was);
    if (was != c->ctx) {
        c->api->set_ctx(c->ctx);
    }
    uint64_t armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE); /* its record precedes the one the stream wait takes */
    pthread_mutex_lock(&c->lock);
    int rc = c->park_stream ? 0 : c->api->stream_create(&c->park_stream, STREAM_NON_BLOCKING);
    if (rc == 0 && !c->park_event) {
        call = c->vendor == GPUOS_VENDOR_CUDA ? "cuEventCreate" : "hipEventCreateWithFlags";
        rc = c->api->event_create(&c->park_event, EVENT_BLOCKING_SYNC_NO_TIMING);
    }
    if (rc == 0) {
        call = c->vendor == GPUOS_VENDOR_CUDA ? "cuStreamWaitEvent" : "hipStreamWaitEvent";
        rc = c->api->stream_wait_event(c->park_stream, c->event, 0);
    }
    if (rc == 0) {
        call = c->vendor == GPUOS_VENDOR_CUDA ? "cuEventRecord" : "hipEventRecord";
        rc = c->api->event_record(c->park_event, c->park_stream);
    }
    pthread_mutex_unlock(&c->lock);
    if (rc == 0) {
        w->parks++;
        call = c->vendor == GPUOS_VENDOR_CUDA ? "cuEventSynchronize" : "hipEventSynchronize";
        rc = c->api->event_sync(c->park_event);
    }
    if (was != c->ctx) {
        c->api->set_ctx(was);
    }
    if (rc != 0) {
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_wait(%s): %s failed with %d (the context may have failed)", vendor_name(c->vendor), call, rc);
    }
    advance(c, armed);
    return 1;
}

/* Parks with the completion's mechanism: 1 when done, 0 at the deadline, a gpuos_status when the vendor's wait failed.
 * The driver's own waits (an event's blocking sync, clWaitForEvents) take no deadline: a wait with a timeout parks on
 * the eventfd instead, signalled by the watcher thread. */
static int park(gpuos_completion *c, uint64_t target, int64_t deadline, gpuos_wait_info *w)
{
    switch (c->park) {
    case PARK_EVENTFD:
        return park_eventfd(c, target, deadline, &w->parks, 0);
    case PARK_BACKOFF: {
        int64_t step = 20000;
        while (!done(c, target)) {
            int64_t t = now_ns();
            if (deadline >= 0 && t >= deadline) {
                return 0;
            }
            w->parks++;
            sleep_until(deadline >= 0 && t + step > deadline ? deadline : t + step);
            step = step * 2 > 1000000 ? 1000000 : step * 2;
        }
        return 1;
    }
    case PARK_EVENT:
    case PARK_WAIT:
        break;
    }
    if (deadline >= 0) {
        return park_eventfd(c, target, deadline, &w->parks, 1);
    }
    if (c->park == PARK_EVENT) {
        return park_event(c, w);
    }
    w->parks++;
    pthread_mutex_lock(&c->lock);
    void *event = c->cl_event;
    uint64_t seq = c->cl_event_seq;
    g_cl.retain(event);
    pthread_mutex_unlock(&c->lock);
    int rc = g_cl.wait(1, &event);
    g_cl.release(event);
    if (rc != 0 && rc != -14 /* CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST: the work ended, with an error */) {
        return gpuos__fail(GPUOS_EVENDOR, "gpuos_completion_wait(opencl): clWaitForEvents failed with %d", rc);
    }
    advance(c, seq);
    return 1;
}

/* Adaptive: a hint wins (a waiter's, never the watcher's), else what this completion's waits in the arming phase
 * taught. Unknown: spin up to LEARN_SPIN_NS (signalled completions: the spin limit), then park. Short: spin up to the
 * spin limit, then park. Long: sleep until a margin before the expected end, spin through the end and a little past it,
 * then park natively. `overslept` is set when the work was already done at the wake. */
static int adaptive(gpuos_completion *c, uint64_t target, int64_t start, int64_t deadline, int use_hint, gpuos_wait_info *w, int *overslept)
{
    int64_t dev = 0;
    int64_t expected = use_hint && c->expect_ns >= 0 ? c->expect_ns : learned(c, &dev);
    if (use_hint) {
        c->expect_ns = -1;
    }
    int64_t limit = __atomic_load_n(&g_spin_limit, __ATOMIC_RELAXED);
    int64_t armed_ns = c->armed_ns;
    int64_t remaining = expected < 0 ? -1 : expected - (start - armed_ns);
    w->expected_ns = expected < 0 ? -1 : remaining;
    int64_t until;
    *overslept = 0;
    if (expected < 0 && c->spin != SPIN_COUNTER) {
        until = start + LEARN_SPIN_NS;
    } else if (remaining <= limit) {
        int64_t r = remaining < 0 ? limit : remaining;
        int64_t slack = r / 4 > 1000 ? r / 4 : 1000;
        until = start + r + slack;
    } else {
        /* Jitter widens the window on both sides, but at most by a quarter of the work: a noisy phase then parks sooner
         * instead of spinning for as long as the work itself. */
        int64_t jitter = 2 * dev < expected / 4 ? 2 * dev : expected / 4;
        int64_t wake = armed_ns + expected - __atomic_load_n(&g_wake_margin, __ATOMIC_RELAXED) - jitter;
        if (wake > now_ns() && (deadline < 0 || wake < deadline)) {
            w->sleeps++;
            sleep_until(wake);
            *overslept = done(c, target);
        }
        until = armed_ns + expected + (jitter > limit ? jitter : limit);
    }
    if (deadline >= 0 && until > deadline) {
        until = deadline;
    }
    int64_t spun = now_ns();
    int ok = *overslept || spin_until(c, target, until);
    w->spun_ns = now_ns() - spun;
    w->decision = w->sleeps ? 4 : 0;
    if (!ok && (deadline < 0 || now_ns() < deadline)) {
        w->decision = w->sleeps ? 5 : 2;
        ok = park(c, target, deadline, w);
    }
    return ok;
}

/* What a finished wait teaches the arming phase: the work's length from the arm. A signal's time is exact (MANUAL and
 * callbacks); a spin saw the end when it came; a sleep that woke after the end knows only that it came before the
 * wake, so it teaches the time it meant to wake at and the next sleep is shorter; a park teaches the wake, an upper
 * bound. */
static void teach(gpuos_completion *c, const gpuos_wait_info *w, int overslept, int64_t end)
{
    if (w->decision == 3) {
        return;
    }
    int64_t sig = __atomic_load_n(&c->signalled_ns, __ATOMIC_RELAXED);
    int64_t when = end;
    if (c->spin == SPIN_COUNTER && sig > 0) {
        when = sig;
    } else if (overslept) {
        int64_t dev = 0;
        int64_t e = learned(c, &dev);
        int64_t jitter = 2 * dev < e / 4 ? 2 * dev : e / 4;
        when = e < 0 ? end : c->armed_ns + e - __atomic_load_n(&g_wake_margin, __ATOMIC_RELAXED) - jitter;
    }
    learn(c, when - c->armed_ns);
}

/* One wait of any policy: 1 when done, 0 at the deadline, a gpuos_status when the vendor's wait failed. */
static int wait_for(gpuos_completion *c, uint64_t target, gpuos_wait_policy policy, int64_t deadline, int use_hint, gpuos_wait_info *w)
{
    int64_t start = now_ns();
    int overslept = 0;
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
        ok = park(c, target, deadline, w);
    } else {
        ok = adaptive(c, target, start, deadline, use_hint, w, &overslept);
    }
    int64_t end = now_ns();
    w->waited_ns = end - start;
    if (ok == 1) {
        int64_t sig = __atomic_load_n(&c->signalled_ns, __ATOMIC_RELAXED);
        if (c->spin == SPIN_COUNTER && sig > 0 && w->decision != 3) {
            w->wake_ns = end - sig > 0 ? end - sig : 0;
        }
        teach(c, w, overslept, end);
    }
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
    int64_t deadline = timeout_ns < 0 ? -1 : now_ns() + timeout_ns;
    int ok = wait_for(c, target, policy, deadline, 1, w);
    if (ok < 0) {
        return ok;
    }
    if (!ok) {
        const char *phase = gpuos_phase_current();
        uint64_t s = __atomic_load_n(&c->signalled, __ATOMIC_ACQUIRE);
        return gpuos__fail(GPUOS_ETIMEDOUT,
            "gpuos_completion_wait in phase \"%s\": timed out after %lld ms (%s, armed %llu, done %llu): %s; the stream may have been destroyed or "
            "the device hung",
            *phase ? phase : "(none)", (long long)(timeout_ns / 1000000), vendor_name(c->vendor), (unsigned long long)target, (unsigned long long)s,
            c->spin == SPIN_COUNTER ? "the signal never came (the vendor callback never fired, or nobody called gpuos_completion_signal)"
                                    : "the work never completed");
    }
    return GPUOS_OK;
}

void gpuos_completion_destroy(gpuos_completion *c)
{
    if (!c) {
        return;
    }
    /* Work still pending would write the word or complete the event after they are freed: the watcher thread waits
     * for it and drops the last reference. */
    uint64_t armed = __atomic_load_n(&c->armed, __ATOMIC_ACQUIRE);
    int pending = observe(c) < armed;
    if (pending && c->vendor != GPUOS_VENDOR_MANUAL && !c->callbacks) {
        watch(c, armed);
    } else if (!pending) {
        /* Nothing pending: a watcher entry or a callback still holding it is only finishing (a write, a release). Let it
         * finish, for up to 100 ms, so the vendor state is freed here, before the caller destroys the context it was
         * made in. */
        int64_t until = now_ns() + 100000000;
        while (__atomic_load_n(&c->refs, __ATOMIC_ACQUIRE) > 1 && now_ns() < until) {
            sched_yield();
        }
    }
    release(c);
}

/* ---- The watcher: one thread per process that waits on completions handed out as fds, in arming order --------- */

typedef struct watch_entry {
    gpuos_completion *c;
    uint64_t target;
    struct watch_entry *next;
} watch_entry;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    watch_entry *head, *tail;
    int started;
    int idle;
} g_watch = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0};

static void *watch_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "gpuos-watch");
    t_watcher = 1;
    for (;;) {
        pthread_mutex_lock(&g_watch.lock);
        while (!g_watch.head) {
            g_watch.idle = 1;
            pthread_cond_wait(&g_watch.cond, &g_watch.lock);
            g_watch.idle = 0;
        }
        watch_entry *e = g_watch.head;
        g_watch.head = e->next;
        if (!g_watch.head) {
            g_watch.tail = NULL;
        }
        pthread_mutex_unlock(&g_watch.lock);
        gpuos_completion *c = e->c;
        if (c->api && c->bound) {
            c->api->set_ctx(c->ctx);
        }
        gpuos_wait_info w;
        memset(&w, 0, sizeof w);
        /* The adaptive wait: asleep through what the arming phase taught, spinning for the end, parked natively past it. */
        wait_for(c, e->target, GPUOS_WAIT_ADAPTIVE, -1, 0, &w);
        if (__atomic_load_n(&c->parkers, __ATOMIC_SEQ_CST) > 0 || __atomic_load_n(&c->exported, __ATOMIC_SEQ_CST)) {
            uint64_t one = 1;
            ssize_t n = write(c->fd, &one, sizeof one);
            (void)n;
        }
        release(c);
        free(e);
    }
    return NULL;
}

static void watch(gpuos_completion *c, uint64_t target)
{
    uint64_t queued = __atomic_load_n(&c->queued_upto, __ATOMIC_ACQUIRE);
    do {
        if (queued >= target) {
            return;
        }
    } while (!__atomic_compare_exchange_n(&c->queued_upto, &queued, target, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    watch_entry *e = malloc(sizeof *e);
    if (!e) {
        return;
    }
    e->c = c;
    e->target = target;
    e->next = NULL;
    __atomic_add_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_lock(&g_watch.lock);
    if (g_watch.tail) {
        g_watch.tail->next = e;
    } else {
        g_watch.head = e;
    }
    g_watch.tail = e;
    if (!g_watch.started) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        g_watch.started = pthread_create(&t, &attr, watch_main, NULL) == 0;
        pthread_attr_destroy(&attr);
    } else if (g_watch.idle) {
        pthread_cond_signal(&g_watch.cond);
    }
    pthread_mutex_unlock(&g_watch.lock);
}

/* A forked child has no watcher thread: it starts its own when it needs one. */
static void watch_after_fork(void)
{
    pthread_mutex_init(&g_watch.lock, NULL);
    pthread_cond_init(&g_watch.cond, NULL);
    g_watch.head = g_watch.tail = NULL;
    g_watch.started = 0;
    g_watch.idle = 0;
}

__attribute__((constructor)) static void watch_init(void)
{
    pthread_atfork(NULL, NULL, watch_after_fork);
}
