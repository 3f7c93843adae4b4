/* api-floor: the cost of one probed call on this machine: N calls of the stand-in's cuLaunchKernel (grid 1: no
 * syscall), untraced, then with api.bpf.c's entry and return programs attached (cookie 0) for a process that is not
 * followed (each program returns at its first test: the traps' floor), then for this process followed and armed (the
 * full in-kernel path: push, pop, one ring-buffer record a call; nobody reads them, so keep N under 250,000).
 * Build: cc -O2 -o api-floor api-floor.c -lbpf -ldl   (and the stand-in: see fake-cuda.c)
 * Usage: api-floor OBJECT LIBCUDA OFFSET N   (OBJECT: src/GpuOsSpec.Tracing/obj/bpf/api.bpf.o; OFFSET: cuLaunchKernel's
 *        file offset in LIBCUDA, e.g. readelf -Ws; N calls a variant; run as root) */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef int (*launch_fn)(void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void *, void **, void **);

static double run(launch_fn launch, long n)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++)
        launch(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

int main(int argc, char **argv)
{
    long n = atol(argv[4]);
    size_t off = strtoul(argv[3], NULL, 0);
    void *lib = dlopen(argv[2], RTLD_NOW);
    launch_fn launch = (launch_fn)dlsym(lib, "cuLaunchKernel");
    run(launch, n / 10);
    double untraced = run(launch, n);
    struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
    if (!obj || bpf_object__load(obj)) { fprintf(stderr, "load failed\n"); return 1; }
    LIBBPF_OPTS(bpf_uprobe_opts, eo, .bpf_cookie = 0, .retprobe = false);
    LIBBPF_OPTS(bpf_uprobe_opts, ro, .bpf_cookie = 0, .retprobe = true);
    struct bpf_link *e = bpf_program__attach_uprobe_opts(bpf_object__find_program_by_name(obj, "api_entry"), -1, argv[2], off, &eo);
    struct bpf_link *r = bpf_program__attach_uprobe_opts(bpf_object__find_program_by_name(obj, "api_return"), -1, argv[2], off, &ro);
    if (!e || !r) { fprintf(stderr, "attach failed\n"); return 1; }
    double floor = run(launch, n);
    __u32 pid = getpid(), armed = 1;
    bpf_map__update_elem(bpf_object__find_map_by_name(obj, "api_tgids"), &pid, sizeof pid, &armed, sizeof armed, BPF_ANY);
    double counted = run(launch, n);
    printf("untraced %.0f ns/call; probes, programs return at once %.0f ns/call (+%.2f us); counted in the kernel %.0f ns/call (+%.2f us)\n",
           untraced, floor, (floor - untraced) / 1000, counted, (counted - untraced) / 1000);
    bpf_link__destroy(e);
    bpf_link__destroy(r);
    bpf_object__close(obj);
    return 0;
}
