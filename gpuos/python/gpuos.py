"""gpuos for Python: phases with a workload class, zero-syscall markers, and waitable completions (ctypes only).

    import gpuos, torch
    with gpuos.phase("forward", gpuos.THROUGHPUT):
        loss = model(x)
    done = gpuos.Completion(gpuos.CUDA, fallback=torch.cuda.synchronize)
    done.arm(torch.cuda.current_stream().cuda_stream)
    done.wait(gpuos.ADAPTIVE)

The library is found through GPUOS_LIBRARY, then ../build/libgpuos.so beside this file, then the loader's search.
Without it, phases and markers are no-ops (one warning on stderr), and a completion waits with its fallback, or raises
GpuOsError when it has none. The specification is docs/abstraction.md.
"""
import ctypes
import os
import sys

__all__ = ["phase", "begin", "end", "mark", "depth", "Completion", "GpuOsError", "available", "unavailable_reason",
           "INHERIT", "LATENCY", "THROUGHPUT", "BACKGROUND", "MANUAL", "CUDA", "OPENCL", "HIP", "SPIN", "PARK", "ADAPTIVE"]

INHERIT, LATENCY, THROUGHPUT, BACKGROUND = 0, 1, 2, 3
MANUAL, CUDA, OPENCL, HIP = 0, 1, 2, 3
SPIN, PARK, ADAPTIVE = 0, 1, 2
# No limit by default: a park then sleeps in the vendor's own blocking wait, which takes no deadline. A timeout makes a
# vendor's park wait on the eventfd instead, woken by gpuos's watcher thread (dearer; docs/abstraction.md).
_DEFAULT_TIMEOUT_S = float(os.environ["GPUOS_WAIT_TIMEOUT_S"]) if os.environ.get("GPUOS_WAIT_TIMEOUT_S") else None


class GpuOsError(RuntimeError):
    """A libgpuos call failed or was misused; the message is the library's and names the phase where it matters."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class WaitInfo(ctypes.Structure):
    _fields_ = [("policy", ctypes.c_int32), ("decision", ctypes.c_int32), ("expected_ns", ctypes.c_int64),
                ("spun_ns", ctypes.c_int64), ("waited_ns", ctypes.c_int64), ("wake_ns", ctypes.c_int64),
                ("parks", ctypes.c_int32), ("sleeps", ctypes.c_int32)]


def _candidates():
    env = os.environ.get("GPUOS_LIBRARY")
    if env:
        yield env
        return  # an explicit path is the one the user (or gpuosspec trace, which probes it) wants: no other copy
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "..", "build", "libgpuos.so")
    yield os.path.join(here, "libgpuos.so")
    yield "libgpuos.so"


def _load():
    tried = []
    for path in _candidates():
        tried.append(path)
        try:
            return ctypes.CDLL(path), None
        except OSError:
            continue
    return None, ("libgpuos.so was not found (tried %s). Fix: build it with `dotnet build` or "
                  "`cc -O2 -fPIC -shared -o gpuos/build/libgpuos.so gpuos/src/*.c -ldl -lpthread`, or set GPUOS_LIBRARY"
                  % ", ".join(tried))


_lib, unavailable_reason = _load()
available = _lib is not None
_warned = False

if _lib is not None:
    _lib.gpuos_last_error.restype = ctypes.c_char_p
    _lib.gpuos_phase_begin.argtypes = [ctypes.c_char_p, ctypes.c_int]
    _lib.gpuos_phase_end.argtypes = [ctypes.c_char_p]
    _lib.gpuos_mark.argtypes = [ctypes.c_char_p]
    # ABI 1 (an older library) returns nothing from gpuos_mark.
    _mark_returns_status = _lib.gpuos_abi_version() >= 2
    if not _mark_returns_status:
        _lib.gpuos_mark.restype = None
    _lib.gpuos_completion_create.restype = ctypes.c_void_p
    _lib.gpuos_completion_create.argtypes = [ctypes.c_int]
    _lib.gpuos_completion_arm.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    _lib.gpuos_completion_signal.argtypes = [ctypes.c_void_p]
    _lib.gpuos_completion_test.argtypes = [ctypes.c_void_p]
    _lib.gpuos_completion_fd.argtypes = [ctypes.c_void_p]
    _lib.gpuos_completion_expect.argtypes = [ctypes.c_void_p, ctypes.c_int64]
    _lib.gpuos_completion_expect.restype = None
    _lib.gpuos_completion_wait.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int64, ctypes.POINTER(WaitInfo)]
    _lib.gpuos_completion_mechanism.argtypes = [ctypes.c_void_p]
    _lib.gpuos_completion_mechanism.restype = ctypes.c_char_p
    _lib.gpuos_completion_destroy.argtypes = [ctypes.c_void_p]
    _lib.gpuos_completion_destroy.restype = None


def _usable():
    global _warned
    if _lib is not None:
        return True
    if not _warned:
        _warned = True
        print("gpuos: %s; phases and markers are no-ops." % unavailable_reason, file=sys.stderr)
    return False


def _check(status):
    if status < 0:
        raise GpuOsError(status, _lib.gpuos_last_error().decode("utf-8", "replace"))
    return status


def _name(name):
    # A NUL would end the C string early, so two different names would reach the library as one; encode() itself
    # refuses lone surrogates.
    if "\0" in name:
        raise GpuOsError(-1, "the name %r contains a NUL character, which would end it early" % name)
    return name.encode()


def begin(name, cls=INHERIT):
    """Opens a phase on the calling thread; returns the depth.

    A name is 1 to 63 bytes of UTF-8 without '/' (it joins nested phases into a path) and without control characters;
    any other name raises GpuOsError. A forked child starts with no phase open."""
    return _check(_lib.gpuos_phase_begin(_name(name), cls)) if _usable() else 0


def end(name=None):
    """Closes the innermost phase, which must be `name` when given; returns the depth left."""
    return _check(_lib.gpuos_phase_end(name.encode() if name is not None else None)) if _usable() else 0


def mark(name):
    """An instant marker: no syscall. The name follows begin's rules (or is empty); a bad one raises GpuOsError."""
    if _usable():
        status = _lib.gpuos_mark(_name(name))
        if _mark_returns_status:
            _check(status)


def depth():
    return _lib.gpuos_phase_depth() if _usable() else 0


class phase:
    """with gpuos.phase("forward", gpuos.THROUGHPUT): ..."""

    def __init__(self, name, cls=INHERIT):
        self.name, self.cls = name, cls

    def __enter__(self):
        begin(self.name, self.cls)
        return self

    def __exit__(self, *exc):
        end(self.name)
        return False


class Completion:
    """Armed after work on a stream or queue, seen done through the vendor's cheapest wake-up (CUDA: a word the stream
    writes to spin on, and a blocking-sync event that only a park records), with an eventfd for select/epoll that
    gpuos's watcher thread writes."""

    def __init__(self, vendor=CUDA, fallback=None):
        self._fallback = fallback
        self._handle = None
        if not _usable():
            if fallback is None:
                raise GpuOsError(-4, "gpuos completions need libgpuos: %s" % unavailable_reason)
            return
        handle = _lib.gpuos_completion_create(vendor)
        if not handle:
            raise GpuOsError(-4, _lib.gpuos_last_error().decode("utf-8", "replace"))
        self._handle = handle

    def arm(self, stream=0):
        """stream: torch.cuda.current_stream().cuda_stream, a cl_command_queue, a hipStream_t (0 for MANUAL)."""
        if self._handle is not None:
            _check(_lib.gpuos_completion_arm(self._handle, ctypes.c_void_p(stream)))

    def signal(self):
        if self._handle is not None:
            _check(_lib.gpuos_completion_signal(self._handle))

    def expect(self, seconds):
        if self._handle is not None:
            _lib.gpuos_completion_expect(self._handle, int(seconds * 1e9))

    def done(self):
        return self._handle is None or _lib.gpuos_completion_test(self._handle) == 1

    @property
    def mechanism(self):
        """What it spins on and parks in, in words ("cuda: spin=word park=event"); "fallback" without libgpuos."""
        if self._handle is None:
            return "fallback"
        return _lib.gpuos_completion_mechanism(self._handle).decode("utf-8", "replace")

    def fileno(self):
        """The eventfd, for select/poll/epoll beside sockets."""
        if self._handle is None:
            raise GpuOsError(-4, "no eventfd without libgpuos: %s" % unavailable_reason)
        return _check(_lib.gpuos_completion_fd(self._handle))

    def wait(self, policy=ADAPTIVE, timeout=_DEFAULT_TIMEOUT_S):
        """Waits for the latest arm; returns the WaitInfo (None on the fallback path). timeout=None waits without a
        limit, in the vendor's own blocking wait when it parks."""
        if self._handle is None:
            self._fallback()
            return None
        info = WaitInfo()
        ns = -1 if timeout is None else int(timeout * 1e9)
        _check(_lib.gpuos_completion_wait(self._handle, policy, ns, ctypes.byref(info)))
        return info

    def close(self):
        if self._handle is not None:
            _lib.gpuos_completion_destroy(self._handle)
            self._handle = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
