/* OpenCL through the ICD loader, with no OpenCL headers (declared here), marked with gpuos phases: setup builds a
 * kernel, then STEPS steps each write a buffer, set the kernel's arguments, launch it and wait (clFinish).
 * opencl_steps STEPS extra: each step also maps and unmaps 1 MiB of host memory (the deliberate change a baseline
 * comparison must catch). */
#include <string.h>
#include <sys/mman.h>
#include "gpuos.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int cl_int;
typedef unsigned int cl_uint;
typedef void *cl_ptr;
#define CL_DEVICE_TYPE_ALL 0xFFFFFFFFull
#define CL_MEM_READ_WRITE 1ull

static void *sym(void *lib, const char *name)
{
    void *p = dlsym(lib, name);
    if (!p) {
        fprintf(stderr, "opencl_steps: %s missing\n", name);
        exit(3);
    }
    return p;
}

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 50;
    void *lib = dlopen("libOpenCL.so.1", RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "opencl_steps: no libOpenCL.so.1\n");
        return 2;
    }
    cl_int (*GetPlatformIDs)(cl_uint, cl_ptr *, cl_uint *) = sym(lib, "clGetPlatformIDs");
    cl_int (*GetDeviceIDs)(cl_ptr, unsigned long long, cl_uint, cl_ptr *, cl_uint *) = sym(lib, "clGetDeviceIDs");
    cl_ptr (*CreateContext)(const void *, cl_uint, const cl_ptr *, void *, void *, cl_int *) = sym(lib, "clCreateContext");
    cl_ptr (*CreateQueue)(cl_ptr, cl_ptr, const void *, cl_int *) = sym(lib, "clCreateCommandQueueWithProperties");
    cl_ptr (*CreateProgram)(cl_ptr, cl_uint, const char **, const size_t *, cl_int *) = sym(lib, "clCreateProgramWithSource");
    cl_int (*Build)(cl_ptr, cl_uint, const cl_ptr *, const char *, void *, void *) = sym(lib, "clBuildProgram");
    cl_ptr (*CreateKernel)(cl_ptr, const char *, cl_int *) = sym(lib, "clCreateKernel");
    cl_ptr (*CreateBuffer)(cl_ptr, unsigned long long, size_t, void *, cl_int *) = sym(lib, "clCreateBuffer");
    cl_int (*SetArg)(cl_ptr, cl_uint, size_t, const void *) = sym(lib, "clSetKernelArg");
    cl_int (*Write)(cl_ptr, cl_ptr, cl_uint, size_t, size_t, const void *, cl_uint, const void *, void *) = sym(lib, "clEnqueueWriteBuffer");
    cl_int (*Launch)(cl_ptr, cl_ptr, cl_uint, const size_t *, const size_t *, const size_t *, cl_uint, const void *, void *) = sym(lib, "clEnqueueNDRangeKernel");
    cl_int (*Finish)(cl_ptr) = sym(lib, "clFinish");

    gpuos_phase_begin("setup", GPUOS_CLASS_LATENCY);
    cl_ptr platform, device;
    cl_int err = 0;
    if (GetPlatformIDs(1, &platform, NULL) != 0 || GetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL) != 0) {
        fprintf(stderr, "opencl_steps: no OpenCL device\n");
        return 2;
    }
    cl_ptr ctx = CreateContext(NULL, 1, &device, NULL, NULL, &err);
    cl_ptr queue = CreateQueue(ctx, device, NULL, &err);
    const char *src = "__kernel void add1(__global float *a) { a[get_global_id(0)] += 1.0f; }";
    cl_ptr program = CreateProgram(ctx, 1, &src, NULL, &err);
    if (Build(program, 1, &device, "", NULL, NULL) != 0) {
        fprintf(stderr, "opencl_steps: build failed\n");
        return 4;
    }
    cl_ptr kernel = CreateKernel(program, "add1", &err);
    size_t n = 4096;
    float *host = calloc(n, sizeof(float));
    cl_ptr buffer = CreateBuffer(ctx, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    gpuos_phase_end("setup");

    int extra = argc > 2 && strcmp(argv[2], "extra") == 0;
    for (int s = 0; s < steps; s++) {
        gpuos_phase_begin("step", GPUOS_CLASS_INHERIT);
        if (extra) {
            void *scratch = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (scratch != MAP_FAILED) {
                memset(scratch, 1, 4096);
                munmap(scratch, 1 << 20);
            }
        }
        Write(queue, buffer, 0, 0, n * sizeof(float), host, 0, NULL, NULL);
        SetArg(kernel, 0, sizeof(cl_ptr), &buffer);
        Launch(queue, kernel, 1, NULL, &n, NULL, 0, NULL, NULL);
        Finish(queue);
        gpuos_phase_end("step");
    }
    printf("opencl_steps: %d steps\n", steps);
    return 0;
}
