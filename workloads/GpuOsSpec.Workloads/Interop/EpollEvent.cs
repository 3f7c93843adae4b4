using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

/// <summary>struct epoll_event on x86-64 and aarch64: packed on x86-64 (12 bytes), where the kernel's header says
/// so.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    internal uint Events;
    internal ulong Data;
}
