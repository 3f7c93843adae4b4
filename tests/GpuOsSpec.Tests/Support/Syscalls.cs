using System.Runtime.InteropServices;

namespace GpuOsSpec.Tests.Support;

/// <summary>Syscalls with no side effects, to make known numbers of.</summary>
public static partial class Syscalls
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int Getppid();

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int Getpid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial int Geteuid();
}
