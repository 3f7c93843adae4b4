using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Interop;

/// <summary>The C library calls the workloads make themselves.</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc";
}
