/* Phases, markers, class hints and errors. Completions are in completion.c. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_DEPTH 32

typedef struct frame {
    char name[64];
    int cls; /* effective class inside this frame */
} frame;

/* One per thread that opened a phase; kept on a global list so that phases still open at exit are reported. */
typedef struct thread_state {
    frame frames[MAX_DEPTH];
    int depth;
    int applied;  /* class the OS was last told for this thread (0: never changed) */
    int base_nice;
    int tid;
    struct thread_state *next;
} thread_state;

static __thread thread_state *t_state;
static __thread char t_error[256];
static pthread_mutex_t g_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static thread_state *g_threads;
static pthread_key_t g_key;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static uint64_t g_seq;
static unsigned g_hints = GPUOS_HINT_SCHED;
static gpuos_hint_stats g_stats;

int gpuos_abi_version(void) { return GPUOS_ABI_VERSION; }

const char *gpuos_last_error(void) { return t_error; }

int gpuos__fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_error, sizeof t_error, fmt, ap);
    va_end(ap);
    return status;
}

/* Exported, never inlined, and with an empty body the compiler must keep: tracers attach an entry uprobe here.
 * On x86-64 its first instruction is a 5-byte nop, which Linux 6.18+ turns into a call to a trampoline page that enters
 * the kernel through the `uprobe` syscall (an optimized uprobe) instead of a breakpoint trap; an older kernel traps on
 * it as on any instruction. -DGPUOS_PROBE_TRAP builds the plain entry instead (for comparing the two). The kernel's
 * trampoline page is not copied into a forked child while the call to it is: repair_probe_site, below, mends the
 * child before its first marker. */
#if defined(__x86_64__) && !defined(GPUOS_PROBE_TRAP)
#define GPUOS_PROBE_NOP5 1
#endif
__attribute__((noinline, used, aligned(16))) void gpuos_probe_marker(const gpuos_marker *marker)
{
#ifdef GPUOS_PROBE_NOP5
    __asm__ volatile(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00" : : "r"(marker) : "memory"); /* nopl 0(%rax,%rax,1) */
#else
    __asm__ volatile("" : : "r"(marker) : "memory");
#endif
}

#ifdef GPUOS_PROBE_NOP5
/* Linux 6.18 (arch/x86/kernel/uprobes.c) maps the trampoline with VM_DONTCOPY, so fork() leaves it out of the child,
 * but the probed page, which the kernel rewrote, is copied with the call in it: the child's first marker jumps to an
 * unmapped address and dies of SIGSEGV. The child maps that page of the library again from the file: the kernel then
 * puts back the breakpoint of every uprobe still registered there for this process (uprobe_mmap), under its own locks,
 * so a tracer that detaches meanwhile leaves the file's nop, never a stray breakpoint. The child's first hit traps and
 * the kernel optimizes the probe again, with a trampoline of the child's own. */

/* The kernel zeroes this page in a forked child (MADV_WIPEONFORK), however it was forked: _Fork and a raw clone run no
 * atfork handler. 1: this process's probe site was checked; 0: not yet (a child); 2: being checked. */
static unsigned char *g_site_checked;
/* Set while this thread mends the site: a signal handler that marks meanwhile mends it again itself (mapping the page
 * again twice is harmless) rather than wait for itself. */
static __thread int t_repairing;

/* Parses one /proc/self/maps line; 1 when it maps addr. */
static int maps_line(const char *line, uintptr_t addr, uintptr_t *start, unsigned long long *off, unsigned *major,
                     unsigned *minor, unsigned long long *inode, char *perms, const char **path)
{
    unsigned long long s, e;
    int n = 0;
    if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &s, &e, perms, off, major, minor, inode, &n) < 7 || n == 0) {
        return 0;
    }
    if (addr < s || addr >= e) {
        return 0;
    }
    *start = (uintptr_t)s;
    *path = line + n;
    return 1;
}

/* 1 when the file's bytes at off are the ones mapped at page (size bytes), but for the probe site's 5 and for
 * breakpoints of other uprobes: mapping the file again then loses nothing the process wrote there. */
static int same_bytes(int file, off_t off, uintptr_t page, size_t size, uintptr_t site)
{
    unsigned char chunk[512];
    for (size_t done = 0; done < size; done += sizeof chunk) {
        if (pread(file, chunk, sizeof chunk, off + (off_t)done) != (ssize_t)sizeof chunk) {
            return 0;
        }
        const unsigned char *mem = (const unsigned char *)(page + done);
        for (size_t i = 0; i < sizeof chunk; i++) {
            uintptr_t at = page + done + i;
            if (mem[i] != chunk[i] && mem[i] != 0xcc && (at < site || at >= site + 5)) {
                return 0;
            }
        }
    }
    return 1;
}

/* Maps the page at page again from the file it maps, if that file is still the one mapped there and holds the same
 * bytes. 0 on success. No malloc and no stdio: after a raw fork of a threaded process another thread may have held
 * their locks. */
static int remap_from_file(uintptr_t page, size_t size, uintptr_t site)
{
    char buf[4096];
    size_t have = 0;
    int done = 0, rc = -1;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    while (!done) {
        ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
        if (r <= 0) {
            break;
        }
        have += (size_t)r;
        buf[have] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            uintptr_t start;
            unsigned long long off, inode;
            unsigned major, minor;
            char perms[5];
            const char *path;
            if (maps_line(line, page, &start, &off, &major, &minor, &inode, perms, &path)) {
                done = 1;
                int file = path[0] == '/' ? open(path, O_RDONLY | O_CLOEXEC) : -1;
                struct stat st;
                off_t at = (off_t)(off + (page - start));
                if (file >= 0 && fstat(file, &st) == 0 && st.st_ino == inode && major(st.st_dev) == major &&
                    minor(st.st_dev) == minor && perms[3] == 'p' && same_bytes(file, at, page, size, site)) {
                    int prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
                               (perms[2] == 'x' ? PROT_EXEC : 0);
                    void *m = mmap((void *)page, size, prot, MAP_PRIVATE | MAP_FIXED, file, at);
                    rc = m == (void *)page ? 0 : -1;
                }
                if (file >= 0) {
                    close(file);
                }
                break;
            }
            line = nl + 1;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
        if (have == sizeof buf - 1) {
            break; /* a line longer than the buffer: give up rather than misparse */
        }
    }
    close(fd);
    return rc;
}

/* Run in a forked child before its first marker (and in an atfork child handler): if the probe site holds a call to a
 * page this process does not map, it came from the parent's optimized uprobe; map the site's page again from the file.
 * If that cannot be done (the file was replaced or deleted, the page holds other writes, /proc is absent), put a breakpoint on the site with the rest of the
 * nop behind it, the state the kernel itself installs before it optimizes (that write races with a tracer detaching
 * in between, which then leaves a breakpoint the kernel answers with SIGTRAP: a narrower failure than the SIGSEGV). */
static void repair_probe_site(void)
{
    const unsigned char *site = (const unsigned char *)(uintptr_t)&gpuos_probe_marker;
    if (site[0] != 0xe8) {
        return; /* the nop, a breakpoint, or a site the kernel never optimized: nothing to mend */
    }
    int32_t rel;
    memcpy(&rel, site + 1, sizeof rel);
    uintptr_t pagesize = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t target = ((uintptr_t)site + 5 + (uintptr_t)(intptr_t)rel) & ~(pagesize - 1);
    unsigned char resident;
    if (mincore((void *)target, 1, &resident) == 0 || errno != ENOMEM) {
        return; /* the call's target is mapped: a kernel that copies the trampoline */
    }
    uintptr_t first = (uintptr_t)site & ~(pagesize - 1), last = ((uintptr_t)site + 4) & ~(pagesize - 1);
    if (remap_from_file(first, last + pagesize - first, (uintptr_t)site) == 0) {
        return;
    }
    static const unsigned char trap[5] = {0xcc, 0x1f, 0x44, 0x00, 0x00};
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (mem >= 0) {
        if (pwrite(mem, trap, sizeof trap, (off_t)(uintptr_t)site) == (ssize_t)sizeof trap) {
            close(mem);
            return;
        }
        close(mem);
    }
    static const char why[] = "gpuos: cannot mend the marker probe after fork; this process's markers may crash it\n";
    if (write(2, why, sizeof why - 1) < 0) {
        return; /* nowhere left to say it */
    }
}

/* The check before every marker: one load of a page the kernel wipes at fork. */
static void check_probe_site(void)
{
    unsigned char *flag = g_site_checked;
    if (__builtin_expect(!flag || __atomic_load_n(flag, __ATOMIC_ACQUIRE) == 1, 1)) {
        return;
    }
    unsigned char expected = 0;
    if (__atomic_compare_exchange_n(flag, &expected, 2, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        t_repairing = 1;
        repair_probe_site();
        t_repairing = 0;
        __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
        return;
    }
    if (t_repairing) {
        repair_probe_site();
        return;
    }
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != 1) {
        sched_yield(); /* another thread of this child is mending the site; the site is unsafe until it is done */
    }
}

static void probe_site_after_fork(void)
{
    if (g_site_checked) {
        check_probe_site();
    } else {
        repair_probe_site();
    }
}

__attribute__((constructor)) static void probe_site_init(void)
{
    long pagesize = sysconf(_SC_PAGESIZE);
    void *page = mmap(NULL, (size_t)pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page != MAP_FAILED && madvise(page, (size_t)pagesize, MADV_WIPEONFORK) == 0) {
        *(unsigned char *)page = 1;
        g_site_checked = page;
    } else if (page != MAP_FAILED) {
        munmap(page, (size_t)pagesize);
    }
    /* For callers of gpuos_probe_marker outside emit (an older library's records), and kernels without WIPEONFORK. */
    pthread_atfork(NULL, NULL, probe_site_after_fork);
}
#else
static void check_probe_site(void) {}
#endif

/* Writes name into out (size n) with every byte outside printable ASCII as \\xNN, for error messages. */
static const char *printable(const char *name, char *out, size_t n)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < n; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
            out[o++] = (char)*p;
        } else {
            o += (size_t)snprintf(out + o, n - o, "\\x%02x", *p);
        }
    }
    out[o] = 0;
    return out;
}

/* Why name cannot name a phase or marker, or NULL when it can: tracers join phase names with '/' into paths and print
 * them in tables, so a name is at most 63 bytes of UTF-8 without '/' and without control characters. */
static const char *name_problem(const char *name, char *why, size_t n)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t len = strnlen(name, GPUOS_NAME_MAX + 1);
    if (len > GPUOS_NAME_MAX) {
        snprintf(why, n, "is longer than %d bytes (it would be cut)", GPUOS_NAME_MAX);
        return why;
    }
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        if (c == '/') {
            snprintf(why, n, "contains '/' (byte %zu), which separates the phases of a path", i);
            return why;
        }
        if (c < 0x20 || c == 0x7f) {
            snprintf(why, n, "contains a control character (0x%02x at byte %zu)", c, i);
            return why;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        /* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. */
        size_t extra = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
        unsigned lo = 0x80, hi = 0xbf;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
        int valid = extra > 0 && i + extra < len;
        for (size_t k = 1; valid && k <= extra; k++) {
            unsigned b = p[i + k];
            valid = k == 1 ? b >= lo && b <= hi : b >= 0x80 && b <= 0xbf;
        }
        if (!valid) {
            snprintf(why, n, "is not valid UTF-8 (byte 0x%02x at %zu)", c, i);
            return why;
        }
        if (c == 0xc2 && p[i + 1] <= 0x9f) {
            snprintf(why, n, "contains a control character (U+%04X at byte %zu)", (unsigned)p[i + 1], i);
            return why;
        }
        i += extra + 1;
    }
    return NULL;
}

static void emit(int kind, const char *name, int cls, int depth)
{
    gpuos_marker m;
    m.magic = GPUOS_MARKER_MAGIC;
    m.version = 1;
    m.kind = (uint16_t)kind;
    m.cls = (uint32_t)cls;
    m.depth = (uint32_t)depth;
    m.seq = __atomic_add_fetch(&g_seq, 1, __ATOMIC_RELAXED);
    size_t n = strnlen(name, sizeof m.name - 1);
    memcpy(m.name, name, n);
    m.name[n] = 0;
    check_probe_site();
    gpuos_probe_marker(&m);
}

static void close_abandoned(thread_state *s, const char *why)
{
    while (s->depth > 0) {
        frame *f = &s->frames[s->depth - 1];
        fprintf(stderr, "gpuos: phase \"%s\" was still open when %s (thread %d); closed by gpuos\n", f->name, why, s->tid);
        emit(GPUOS_MARK_ABANDONED, f->name, f->cls, s->depth);
        s->depth--;
    }
}

static void unlink_state(thread_state *s)
{
    pthread_mutex_lock(&g_threads_lock);
    for (thread_state **p = &g_threads; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    pthread_mutex_unlock(&g_threads_lock);
}

static void on_thread_exit(void *p)
{
    thread_state *s = p;
    close_abandoned(s, "its thread ended");
    unlink_state(s);
    free(s);
}

static void parse_hints_env(void)
{
    const char *env = getenv("GPUOS_HINTS");
    if (!env) {
        return;
    }
    unsigned flags = 0;
    if (strstr(env, "sched")) flags |= GPUOS_HINT_SCHED;
    if (strstr(env, "name")) flags |= GPUOS_HINT_NAME;
    if (strstr(env, "cgroup")) flags |= GPUOS_HINT_CGROUP;
    g_hints = flags;
}

static void before_fork(void) { pthread_mutex_lock(&g_threads_lock); }

static void after_fork_parent(void) { pthread_mutex_unlock(&g_threads_lock); }

static void apply_class(thread_state *s, int cls, const char *name);

/* A forked child is one thread, a copy of the one that forked: it began none of the phases it inherited, so it starts
 * with none open (ending one would emit a marker for a phase no tracer saw begin on its tid), the other threads' states
 * are dropped (the exit handler would report their phases as the child's), and its class is the one outside any phase. */
static void after_fork_child(void)
{
    pthread_mutex_init(&g_threads_lock, NULL);
    thread_state *kept = NULL;
    for (thread_state *s = g_threads, *next; s; s = next) {
        next = s->next;
        if (s == t_state) {
            kept = s;
        } else {
            free(s);
        }
    }
    g_threads = kept;
    g_seq = 0;
    if (kept) {
        kept->next = NULL;
        kept->depth = 0;
        kept->tid = (int)syscall(SYS_gettid);
        apply_class(kept, GPUOS_CLASS_LATENCY, "");
    }
}

static void init_once(void)
{
    pthread_key_create(&g_key, on_thread_exit);
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
    parse_hints_env();
}

__attribute__((destructor)) static void at_exit(void)
{
    pthread_mutex_lock(&g_threads_lock);
    for (thread_state *s = g_threads; s; s = s->next) {
        close_abandoned(s, "the process exited");
    }
    pthread_mutex_unlock(&g_threads_lock);
}

static thread_state *state(void)
{
    if (t_state) {
        return t_state;
    }
    pthread_once(&g_once, init_once);
    thread_state *s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->tid = (int)syscall(SYS_gettid);
    /* getpriority is a syscall, but only once per thread, at its first phase. */
    s->base_nice = getpriority(PRIO_PROCESS, (id_t)s->tid);
    pthread_setspecific(g_key, s);
    pthread_mutex_lock(&g_threads_lock);
    s->next = g_threads;
    g_threads = s;
    pthread_mutex_unlock(&g_threads_lock);
    t_state = s;
    return s;
}

/* The layout of struct sched_attr (SCHED_ATTR_SIZE_VER0, 48 bytes); glibc 2.36 has no wrapper. */
struct gpuos_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
};

static void move_cgroup(thread_state *s, int cls)
{
    static const char *vars[] = {"GPUOS_CGROUP_LATENCY", "GPUOS_CGROUP_LATENCY", "GPUOS_CGROUP_THROUGHPUT", "GPUOS_CGROUP_BACKGROUND"};
    const char *dir = getenv(vars[cls]);
    if (!dir) {
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/cgroup.threads", dir);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    char tid[16];
    int n = snprintf(tid, sizeof tid, "%d", s->tid);
    if (fd < 0 || write(fd, tid, (size_t)n) != n) {
        __atomic_add_fetch(&g_stats.cgroup_failures, 1, __ATOMIC_RELAXED);
    } else {
        __atomic_add_fetch(&g_stats.cgroup_moves, 1, __ATOMIC_RELAXED);
    }
    if (fd >= 0) {
        close(fd);
    }
}

/* Tells the OS about the thread's class, only when it differs from what the OS was last told. */
static void apply_class(thread_state *s, int cls, const char *name)
{
    if (cls == GPUOS_CLASS_INHERIT) {
        cls = GPUOS_CLASS_LATENCY;
    }
    int current = s->applied ? s->applied : GPUOS_CLASS_LATENCY;
    if (cls == current) {
        return;
    }
    s->applied = cls;
    __atomic_add_fetch(&g_stats.class_changes, 1, __ATOMIC_RELAXED);
    unsigned hints = __atomic_load_n(&g_hints, __ATOMIC_RELAXED);
    if (hints & GPUOS_HINT_SCHED) {
        struct gpuos_sched_attr a = {0};
        a.size = sizeof a;
        a.sched_policy = cls == GPUOS_CLASS_BACKGROUND ? SCHED_IDLE : cls == GPUOS_CLASS_THROUGHPUT ? SCHED_BATCH : SCHED_OTHER;
        a.sched_nice = s->base_nice;
        __atomic_add_fetch(&g_stats.sched_calls, 1, __ATOMIC_RELAXED);
        if (syscall(SYS_sched_setattr, 0, &a, 0) != 0) {
            __atomic_add_fetch(&g_stats.sched_failures, 1, __ATOMIC_RELAXED);
        }
    }
    if (hints & GPUOS_HINT_NAME) {
        char comm[16];
        snprintf(comm, sizeof comm, "%s", name);
        prctl(PR_SET_NAME, comm, 0, 0, 0);
        __atomic_add_fetch(&g_stats.name_calls, 1, __ATOMIC_RELAXED);
    }
    if (hints & GPUOS_HINT_CGROUP) {
        move_cgroup(s, cls);
    }
}

int gpuos_phase_begin(const char *name, gpuos_class cls)
{
    if (!name || !*name) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_phase_begin: the phase needs a name");
    }
    char why[96], shown[256];
    if (name_problem(name, why, sizeof why)) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_phase_begin(\"%s\"): the name %s; a name is 1 to %d bytes of UTF-8 without '/' or control characters",
            printable(name, shown, sizeof shown), why, GPUOS_NAME_MAX);
    }
    if ((int)cls < GPUOS_CLASS_INHERIT || cls > GPUOS_CLASS_BACKGROUND) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_phase_begin(\"%s\"): unknown class %d (0 inherit, 1 latency, 2 throughput, 3 background)", name, (int)cls);
    }
    thread_state *s = state();
    if (!s) {
        return gpuos__fail(GPUOS_ESYS, "gpuos_phase_begin(\"%s\"): out of memory", name);
    }
    if (s->depth == MAX_DEPTH) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_phase_begin(\"%s\"): phases nest at most %d deep; \"%s\" is open at depth %d (an end is missing?)",
            name, MAX_DEPTH, s->frames[s->depth - 1].name, MAX_DEPTH);
    }
    int effective = cls != GPUOS_CLASS_INHERIT ? (int)cls : s->depth > 0 ? s->frames[s->depth - 1].cls : GPUOS_CLASS_LATENCY;
    frame *f = &s->frames[s->depth++];
    size_t n = strnlen(name, sizeof f->name - 1);
    memcpy(f->name, name, n);
    f->name[n] = 0;
    f->cls = effective;
    /* The hint first, then the marker: the hint's syscall is the transition's cost, outside the phase it opens. */
    apply_class(s, effective, f->name);
    emit(GPUOS_MARK_BEGIN, f->name, effective, s->depth);
    return s->depth;
}

int gpuos_phase_end(const char *name)
{
    thread_state *s = t_state;
    if (!s || s->depth == 0) {
        char shown[256];
        return gpuos__fail(GPUOS_EUNBALANCED, "gpuos_phase_end(\"%s\"): no phase is open on this thread", printable(name ? name : "", shown, sizeof shown));
    }
    frame *f = &s->frames[s->depth - 1];
    if (name && strcmp(name, f->name) != 0) {
        char shown[256];
        return gpuos__fail(GPUOS_EUNBALANCED, "gpuos_phase_end(\"%s\"): the innermost open phase is \"%s\"; end it first",
            printable(name, shown, sizeof shown), f->name);
    }
    emit(GPUOS_MARK_END, f->name, f->cls, s->depth);
    s->depth--;
    int outer = s->depth > 0 ? s->frames[s->depth - 1].cls : GPUOS_CLASS_LATENCY;
    apply_class(s, outer, s->depth > 0 ? s->frames[s->depth - 1].name : "");
    return s->depth;
}

int gpuos_phase_depth(void) { return t_state ? t_state->depth : 0; }

const char *gpuos_phase_current(void)
{
    return t_state && t_state->depth > 0 ? t_state->frames[t_state->depth - 1].name : "";
}

int gpuos_mark(const char *name)
{
    char why[96], shown[256];
    if (name && name_problem(name, why, sizeof why)) {
        return gpuos__fail(GPUOS_EINVAL, "gpuos_mark(\"%s\"): the name %s; a name is at most %d bytes of UTF-8 without '/' or control characters",
            printable(name, shown, sizeof shown), why, GPUOS_NAME_MAX);
    }
    thread_state *s = t_state;
    emit(GPUOS_MARK_INSTANT, name ? name : "", s && s->depth > 0 ? s->frames[s->depth - 1].cls : GPUOS_CLASS_LATENCY, s ? s->depth : 0);
    return GPUOS_OK;
}

unsigned gpuos_set_hints(unsigned flags)
{
    pthread_once(&g_once, init_once);
    return __atomic_exchange_n(&g_hints, flags & 7u, __ATOMIC_RELAXED);
}

void gpuos_get_hint_stats(gpuos_hint_stats *out)
{
    if (!out) {
        return;
    }
    out->class_changes = __atomic_load_n(&g_stats.class_changes, __ATOMIC_RELAXED);
    out->sched_calls = __atomic_load_n(&g_stats.sched_calls, __ATOMIC_RELAXED);
    out->sched_failures = __atomic_load_n(&g_stats.sched_failures, __ATOMIC_RELAXED);
    out->name_calls = __atomic_load_n(&g_stats.name_calls, __ATOMIC_RELAXED);
    out->cgroup_moves = __atomic_load_n(&g_stats.cgroup_moves, __ATOMIC_RELAXED);
    out->cgroup_failures = __atomic_load_n(&g_stats.cgroup_failures, __ATOMIC_RELAXED);
}
