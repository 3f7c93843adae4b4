/* cuda-probe: the smallest CUDA driver-API program worth tracing: init, one context, a 1 MB allocation freed N times,
 * then teardown. It loads libcuda.so.1 at run time, so it builds without the CUDA toolkit.
 * Usage: cuda-probe [ALLOCS]   (exit 0 on success; prints the failing call and its CUresult otherwise) */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef unsigned long long CUdeviceptr;

#define CALL(expr, name)                                                   \
    do {                                                                   \
        CUresult r_ = (expr);                                              \
        if (r_ != 0) {                                                     \
            fprintf(stderr, "cuda-probe: %s failed with CUresult %d\n", name, r_); \
            return 1;                                                      \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    int allocs = argc > 1 ? atoi(argv[1]) : 10;
    void *lib = dlopen("libcuda.so.1", RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "cuda-probe: cannot load libcuda.so.1: %s\n", dlerror());
        return 2;
    }
    CUresult (*cuInit)(unsigned) = dlsym(lib, "cuInit");
    CUresult (*cuDeviceGet)(CUdevice *, int) = dlsym(lib, "cuDeviceGet");
    CUresult (*cuCtxCreate)(CUcontext *, unsigned, CUdevice) = dlsym(lib, "cuCtxCreate_v2");
    CUresult (*cuMemAlloc)(CUdeviceptr *, size_t) = dlsym(lib, "cuMemAlloc_v2");
    CUresult (*cuMemFree)(CUdeviceptr) = dlsym(lib, "cuMemFree_v2");
    CUresult (*cuCtxSynchronize)(void) = dlsym(lib, "cuCtxSynchronize");
    CUresult (*cuCtxDestroy)(CUcontext) = dlsym(lib, "cuCtxDestroy_v2");
    if (!cuInit || !cuDeviceGet || !cuCtxCreate || !cuMemAlloc || !cuMemFree || !cuCtxSynchronize || !cuCtxDestroy) {
        fprintf(stderr, "cuda-probe: libcuda.so.1 lacks a driver-API entry point\n");
        return 2;
    }
    CUdevice dev;
    CUcontext ctx;
    CALL(cuInit(0), "cuInit");
    CALL(cuDeviceGet(&dev, 0), "cuDeviceGet");
    CALL(cuCtxCreate(&ctx, 0, dev), "cuCtxCreate");
    for (int i = 0; i < allocs; i++) {
        CUdeviceptr p;
        CALL(cuMemAlloc(&p, 1 << 20), "cuMemAlloc");
        CALL(cuMemFree(p), "cuMemFree");
    }
    CALL(cuCtxSynchronize(), "cuCtxSynchronize");
    CALL(cuCtxDestroy(ctx), "cuCtxDestroy");
    printf("cuda-probe: init, context, %d x (cuMemAlloc 1 MB + cuMemFree), teardown: ok\n", allocs);
    return 0;
}
