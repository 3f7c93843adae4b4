/* A stand-in for libcuda.so.1, libamdhip64.so and libOpenCL.so.1 with the entry points libgpuos binds, for testing the
 * completion paths on a machine without a GPU. A stream (an OpenCL queue holds one) is a thread that runs its queue in
 * order: work of a given length (fake_work), stream writes, event records, waits on events and host functions. It
 * counts what libgpuos called, so tests can tell a spin from a native park and a callback.
 * OpenCL: the platform is named by FAKE_CL_PLATFORM ("NVIDIA CUDA" by default). FAKE_CL_MARKER_HOLDS=enqueue or =flush
 * makes clEnqueueMarkerWithWaitList, or a clFlush with a marker not yet reached, keep the calling thread (spinning,
 * as NVIDIA's OpenCL keeps it) until the queue reached the marker: how NVIDIA's OpenCL on the H200 looked from the
 * outside (docs/evaluation-h200.md); a fill (clEnqueueFillBuffer) is queued work like a kernel and holds nobody.
 * Build: cc -O2 -fPIC -shared -o DIR/libcuda.so.1 fake_vendor.c -lpthread (and the same as DIR/libamdhip64.so and
 * DIR/libOpenCL.so.1). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*host_fn)(void *);

enum { OP_WORK, OP_WRITE, OP_RECORD, OP_HOST, OP_WAIT };

typedef struct fake_event {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t recorded, done;
    unsigned flags; /* 1: blocking sync */
} fake_event;

typedef struct op {
    int kind;
    long us;
    volatile uint32_t *word;
    uint32_t value;
    fake_event *event;
    uint64_t seq;
    host_fn fn;
    void *user;
    struct op *next;
} op;

typedef struct fake_stream {
    pthread_mutex_t m;
    pthread_cond_t cv;
    op *head, *tail;
    int stalled;
    pthread_t thread;
} fake_stream;

/* What libgpuos called: host functions, event synchronizes, event queries, stream writes, event records, host frees,
 * host allocations, records of blocking-sync events, stream waits on an event, streams created, OpenCL markers,
 * OpenCL fills, OpenCL flushes. */
#define STATS 13
static long g_stats[STATS];
static void *g_ctx = (void *)0x1;
static fake_stream *g_default;
static pthread_mutex_t g_default_lock = PTHREAD_MUTEX_INITIALIZER;

static void count(int i) { __atomic_add_fetch(&g_stats[i], 1, __ATOMIC_SEQ_CST); }

static void *run(void *p)
{
    fake_stream *s = p;
    for (;;) {
        pthread_mutex_lock(&s->m);
        while (!s->head || s->stalled) {
            pthread_cond_wait(&s->cv, &s->m);
        }
        op *o = s->head;
        pthread_mutex_unlock(&s->m);
        switch (o->kind) {
        case OP_WORK: {
            struct timespec ts = {o->us / 1000000, (o->us % 1000000) * 1000};
            nanosleep(&ts, NULL);
            break;
        }
        case OP_WRITE:
            __atomic_store_n(o->word, o->value, __ATOMIC_RELEASE);
            break;
        case OP_RECORD:
            pthread_mutex_lock(&o->event->m);
            if (o->seq > o->event->done) {
                o->event->done = o->seq;
            }
            pthread_cond_broadcast(&o->event->cv);
            pthread_mutex_unlock(&o->event->m);
            break;
        case OP_HOST:
            o->fn(o->user);
            break;
        case OP_WAIT:
            pthread_mutex_lock(&o->event->m);
            while (o->event->done < o->seq) {
                pthread_cond_wait(&o->event->cv, &o->event->m);
            }
            pthread_mutex_unlock(&o->event->m);
            break;
        }
        /* Popped only once done, so a stalled or busy stream keeps its queue. */
        pthread_mutex_lock(&s->m);
        s->head = o->next;
        if (!s->head) {
            s->tail = NULL;
        }
        pthread_mutex_unlock(&s->m);
        free(o);
    }
    return NULL;
}

void *fake_stream_create(void)
{
    fake_stream *s = calloc(1, sizeof *s);
    pthread_mutex_init(&s->m, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_create(&s->thread, NULL, run, s);
    return s;
}

static fake_stream *stream_of(void *handle)
{
    if (handle) {
        return handle;
    }
    pthread_mutex_lock(&g_default_lock);
    if (!g_default) {
        g_default = fake_stream_create();
    }
    pthread_mutex_unlock(&g_default_lock);
    return g_default;
}

static void push(void *handle, op *o)
{
    fake_stream *s = stream_of(handle);
    pthread_mutex_lock(&s->m);
    if (s->tail) {
        s->tail->next = o;
    } else {
        s->head = o;
    }
    s->tail = o;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->m);
}

void fake_work(void *stream, long us)
{
    op *o = calloc(1, sizeof *o);
    o->kind = OP_WORK;
    o->us = us;
    push(stream, o);
}

void fake_stall(void *stream, int stalled)
{
    fake_stream *s = stream_of(stream);
    pthread_mutex_lock(&s->m);
    s->stalled = stalled;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->m);
}

void fake_stats(long out[STATS])
{
    for (int i = 0; i < STATS; i++) {
        out[i] = __atomic_load_n(&g_stats[i], __ATOMIC_SEQ_CST);
    }
}

void fake_set_context(void *ctx) { g_ctx = ctx; }

/* ---- The shared implementations ---- */

static int get_ctx(void **ctx)
{
    *ctx = g_ctx;
    return 0;
}

static int host_alloc(void **p, size_t n)
{
    count(6);
    *p = calloc(1, n);
    return 0;
}

static int host_free(void *p)
{
    count(5);
    free(p);
    return 0;
}

static int write32(void *stream, void *dptr, uint32_t value)
{
    const char *no = getenv("FAKE_NO_MEMOPS");
    if (no && *no == '1') {
        return 801; /* CUDA_ERROR_NOT_SUPPORTED, hipErrorNotSupported */
    }
    count(3);
    op *o = calloc(1, sizeof *o);
    o->kind = OP_WRITE;
    o->word = dptr;
    o->value = value;
    push(stream, o);
    return 0;
}

static void event_init(fake_event *ev, unsigned flags)
{
    ev->flags = flags;
    pthread_mutex_init(&ev->m, NULL);
    pthread_cond_init(&ev->cv, NULL);
}

static int event_create(void **e, unsigned flags)
{
    fake_event *ev = calloc(1, sizeof *ev);
    event_init(ev, flags);
    *e = ev;
    return 0;
}

static int event_record(void *e, void *stream)
{
    count(4);
    fake_event *ev = e;
    if (ev->flags & 1) {
        count(7);
    }
    op *o = calloc(1, sizeof *o);
    o->kind = OP_RECORD;
    o->event = ev;
    pthread_mutex_lock(&ev->m);
    o->seq = ++ev->recorded;
    pthread_mutex_unlock(&ev->m);
    push(stream, o);
    return 0;
}

static int event_query(void *e)
{
    count(2);
    fake_event *ev = e;
    pthread_mutex_lock(&ev->m);
    int r = ev->done >= ev->recorded ? 0 : 600;
    pthread_mutex_unlock(&ev->m);
    return r;
}

static int event_sync(void *e)
{
    count(1);
    fake_event *ev = e;
    pthread_mutex_lock(&ev->m);
    uint64_t target = ev->recorded;
    while (ev->done < target) {
        pthread_cond_wait(&ev->cv, &ev->m);
    }
    pthread_mutex_unlock(&ev->m);
    return 0;
}

/* Work queued on the stream after this waits for the event's latest record so far. */
static int stream_wait_event(void *stream, void *e)
{
    count(8);
    fake_event *ev = e;
    op *o = calloc(1, sizeof *o);
    o->kind = OP_WAIT;
    o->event = ev;
    pthread_mutex_lock(&ev->m);
    o->seq = ev->recorded;
    pthread_mutex_unlock(&ev->m);
    push(stream, o);
    return 0;
}

static int stream_create(void **stream)
{
    count(9);
    *stream = fake_stream_create();
    return 0;
}

/* Streams and events are never freed: a record may still be queued on a stream, and the tests are short. */
static int event_destroy(void *e)
{
    (void)e;
    return 0;
}

static int launch_host(void *stream, host_fn fn, void *user)
{
    count(0);
    op *o = calloc(1, sizeof *o);
    o->kind = OP_HOST;
    o->fn = fn;
    o->user = user;
    push(stream, o);
    return 0;
}

/* ---- CUDA's names ---- */

int cuCtxGetCurrent(void **ctx) { return get_ctx(ctx); }
int cuCtxSetCurrent(void *ctx) { (void)ctx; return 0; }
int cuMemHostAlloc(void **p, size_t n, unsigned flags) { (void)flags; return host_alloc(p, n); }
int cuMemHostGetDevicePointer_v2(void **d, void *p, unsigned flags) { (void)flags; *d = p; return 0; }
int cuMemFreeHost(void *p) { return host_free(p); }
int cuStreamWriteValue32_v2(void *stream, void *dptr, uint32_t value, unsigned flags) { (void)flags; return write32(stream, dptr, value); }
int cuEventCreate(void **e, unsigned flags) { return event_create(e, flags); }
int cuStreamCreate(void **stream, unsigned flags) { (void)flags; return stream_create(stream); }
int cuStreamWaitEvent(void *stream, void *e, unsigned flags) { (void)flags; return stream_wait_event(stream, e); }
int cuStreamDestroy_v2(void *stream) { (void)stream; return 0; }
int cuEventRecord(void *e, void *stream) { return event_record(e, stream); }
int cuEventQuery(void *e) { return event_query(e); }
int cuEventSynchronize(void *e) { return event_sync(e); }
int cuEventDestroy_v2(void *e) { return event_destroy(e); }
int cuLaunchHostFunc(void *stream, host_fn fn, void *user) { return launch_host(stream, fn, user); }

/* ---- HIP's names ---- */

int hipGetDevice(int *device) { *device = (int)(intptr_t)g_ctx; return 0; }
int hipSetDevice(int device) { (void)device; return 0; }
int hipHostMalloc(void **p, size_t n, unsigned flags) { (void)flags; return host_alloc(p, n); }
int hipHostGetDevicePointer(void **d, void *p, unsigned flags) { (void)flags; *d = p; return 0; }
int hipHostFree(void *p) { return host_free(p); }
int hipStreamWriteValue32(void *stream, void *ptr, uint32_t value, unsigned flags) { (void)flags; return write32(stream, ptr, value); }
int hipEventCreateWithFlags(void **e, unsigned flags) { return event_create(e, flags); }
int hipStreamCreateWithFlags(void **stream, unsigned flags) { (void)flags; return stream_create(stream); }
int hipStreamWaitEvent(void *stream, void *e, unsigned flags) { (void)flags; return stream_wait_event(stream, e); }
int hipStreamDestroy(void *stream) { (void)stream; return 0; }
int hipEventRecord(void *e, void *stream) { return event_record(e, stream); }
int hipEventQuery(void *e) { return event_query(e); }
int hipEventSynchronize(void *e) { return event_sync(e); }
int hipEventDestroy(void *e) { return event_destroy(e); }
int hipLaunchHostFunc(void *stream, host_fn fn, void *user) { return launch_host(stream, fn, user); }

/* ---- OpenCL's names ---- */

#define CL_QUEUE_CONTEXT 0x1090u
#define CL_QUEUE_DEVICE 0x1091u
#define CL_QUEUE_PROPERTIES 0x1093u
#define CL_DEVICE_PLATFORM 0x1031u
#define CL_PLATFORM_NAME 0x0902u
#define CL_EVENT_COMMAND_EXECUTION_STATUS 0x11D3u

typedef struct fake_cl_event {
    fake_event ev; /* first: recorded 1, done 1 once the queue reached it */
    struct fake_queue *q;
} fake_cl_event;

typedef struct fake_queue {
    fake_stream *s;
    uint64_t props;
    fake_cl_event *last_marker;
} fake_queue;

static int g_cl_context, g_cl_device, g_cl_platform;

void *fake_cl_queue(int out_of_order)
{
    fake_queue *q = calloc(1, sizeof *q);
    q->s = fake_stream_create();
    q->props = out_of_order ? 1 : 0; /* CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE */
    return q;
}

void *fake_cl_stream(void *queue) { return ((fake_queue *)queue)->s; }

static int platform_is_nvidia(void)
{
    const char *name = getenv("FAKE_CL_PLATFORM");
    return !name || strncmp(name, "NVIDIA", 6) == 0;
}

static int cl_done(fake_cl_event *e)
{
    pthread_mutex_lock(&e->ev.m);
    int done = e->ev.done >= e->ev.recorded;
    pthread_mutex_unlock(&e->ev.m);
    return done;
}

/* NVIDIA's waits keep the thread on its CPU: a spin without a syscall. */
static void hold_until_done(fake_cl_event *e)
{
    while (!cl_done(e)) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}

static fake_cl_event *cl_record(fake_queue *q)
{
    fake_cl_event *e = calloc(1, sizeof *e);
    event_init(&e->ev, 0);
    e->q = q;
    event_record(e, q->s);
    return e;
}

static int holds(const char *where)
{
    const char *v = getenv("FAKE_CL_MARKER_HOLDS");
    return v && strcmp(v, where) == 0;
}

int clEnqueueMarkerWithWaitList(void *queue, unsigned n, const void *wait, void **event)
{
    (void)n;
    (void)wait;
    count(10);
    fake_queue *q = queue;
    fake_cl_event *e = cl_record(q);
    q->last_marker = e;
    if (holds("enqueue")) {
        hold_until_done(e);
    }
    *event = e;
    return 0;
}

int clEnqueueFillBuffer(void *queue, void *mem, const void *pattern, size_t pattern_size, size_t offset, size_t size, unsigned n,
    const void *wait, void **event)
{
    (void)mem;
    (void)pattern;
    (void)pattern_size;
    (void)offset;
    (void)size;
    (void)n;
    (void)wait;
    count(11);
    fake_cl_event *e = cl_record(queue);
    if (event) {
        *event = e;
    }
    return 0;
}

int clFlush(void *queue)
{
    count(12);
    fake_queue *q = queue;
    if (holds("flush") && q->last_marker) {
        hold_until_done(q->last_marker);
    }
    return 0;
}

void *clCreateBuffer(void *context, uint64_t flags, size_t size, void *host, int *err)
{
    (void)context;
    (void)flags;
    (void)host;
    if (err) {
        *err = 0;
    }
    return calloc(1, size ? size : 1);
}

/* Buffers are not freed: a fill may still be queued on them. */
int clReleaseMemObject(void *mem) { (void)mem; return 0; }

int clRetainEvent(void *event) { (void)event; return 0; }
int clReleaseEvent(void *event) { (void)event; return 0; }

int clGetEventInfo(void *event, unsigned param, size_t size, void *value, size_t *ret)
{
    if (param != CL_EVENT_COMMAND_EXECUTION_STATUS || size < sizeof(int)) {
        return -30; /* CL_INVALID_VALUE */
    }
    *(int *)value = cl_done(event) ? 0 /* CL_COMPLETE */ : 2 /* CL_SUBMITTED */;
    if (ret) {
        *ret = sizeof(int);
    }
    return 0;
}

int clWaitForEvents(unsigned n, void *const *events)
{
    for (unsigned i = 0; i < n; i++) {
        fake_cl_event *e = events[i];
        if (platform_is_nvidia()) {
            hold_until_done(e);
        } else {
            event_sync(&e->ev);
        }
    }
    return 0;
}

typedef struct cl_callback {
    void (*fn)(void *, int, void *);
    void *event;
    void *user;
} cl_callback;

static void run_cl_callback(void *p)
{
    cl_callback *cb = p;
    cb->fn(cb->event, 0, cb->user);
    free(cb);
}

/* The callback runs on the queue's thread once the queue reached the event (set right after the event's command). */
int clSetEventCallback(void *event, int type, void (*fn)(void *, int, void *), void *user)
{
    (void)type;
    cl_callback *cb = malloc(sizeof *cb);
    cb->fn = fn;
    cb->event = event;
    cb->user = user;
    return launch_host(((fake_cl_event *)event)->q->s, run_cl_callback, cb);
}

int clGetCommandQueueInfo(void *queue, unsigned param, size_t size, void *value, size_t *ret)
{
    fake_queue *q = queue;
    if (param == CL_QUEUE_PROPERTIES && size >= sizeof(uint64_t)) {
        *(uint64_t *)value = q->props;
    } else if (param == CL_QUEUE_CONTEXT && size >= sizeof(void *)) {
        *(void **)value = &g_cl_context;
    } else if (param == CL_QUEUE_DEVICE && size >= sizeof(void *)) {
        *(void **)value = &g_cl_device;
    } else {
        return -30;
    }
    if (ret) {
        *ret = param == CL_QUEUE_PROPERTIES ? sizeof(uint64_t) : sizeof(void *);
    }
    return 0;
}

int clGetDeviceInfo(void *device, unsigned param, size_t size, void *value, size_t *ret)
{
    (void)device;
    if (param != CL_DEVICE_PLATFORM || size < sizeof(void *)) {
        return -30;
    }
    *(void **)value = &g_cl_platform;
    if (ret) {
        *ret = sizeof(void *);
    }
    return 0;
}

int clGetPlatformInfo(void *platform, unsigned param, size_t size, void *value, size_t *ret)
{
    (void)platform;
    const char *name = getenv("FAKE_CL_PLATFORM");
    name = name ? name : "NVIDIA CUDA";
    if (param != CL_PLATFORM_NAME || size < strlen(name) + 1) {
        return -30;
    }
    memcpy(value, name, strlen(name) + 1);
    if (ret) {
        *ret = strlen(name) + 1;
    }
    return 0;
}
