#ifndef GPUOS_INTERNAL_H
#define GPUOS_INTERNAL_H
#include "../include/gpuos.h"
#include <sys/resource.h>

/* Sets this thread's error message and returns status. */
__attribute__((visibility("hidden"), format(printf, 2, 3))) int gpuos__fail(int status, const char *fmt, ...);

#endif
