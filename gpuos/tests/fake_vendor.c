/* A stand-in for libcuda.so.1 and libamdhip64.so with the entry points libgpuos binds, for testing the CUDA and HIP
 * completion paths on a machine without a GPU. A stream is a thread that runs its queue in order: work of a given
 * length (fake_work), stream writes, event records and host functions. It counts what libgpuos called, so tests can
 * tell a spin from a native park and a callback.
 * Build: cc -O2 -fPIC -shared -o DIR/libcuda.so.1 fake_vendor.c -lpthread (and the same as DIR/libamdhip64.so). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*host_fn)(void *);

enum { OP_WORK, OP_WRITE, OP_RECORD, OP_HOST };

typedef struct fake_event {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t recorded, done;
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
 * host allocations. */
static long g_stats[7];
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

void fake_stats(long out[7])
{
    for (int i = 0; i < 7; i++) {
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

static int event_create(void **e)
{
    fake_event *ev = calloc(1, sizeof *ev);
    pthread_mutex_init(&ev->m, NULL);
    pthread_cond_init(&ev->cv, NULL);
    *e = ev;
    return 0;
}

static int event_record(void *e, void *stream)
{
    count(4);
    fake_event *ev = e;
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

/* Events are never freed: a record may still be queued on a stream, and the tests are short. */
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
int cuEventCreate(void **e, unsigned flags) { (void)flags; return event_create(e); }
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
int hipEventCreateWithFlags(void **e, unsigned flags) { (void)flags; return event_create(e); }
int hipEventRecord(void *e, void *stream) { return event_record(e, stream); }
int hipEventQuery(void *e) { return event_query(e); }
int hipEventSynchronize(void *e) { return event_sync(e); }
int hipEventDestroy(void *e) { return event_destroy(e); }
int hipLaunchHostFunc(void *stream, host_fn fn, void *user) { return launch_host(stream, fn, user); }
