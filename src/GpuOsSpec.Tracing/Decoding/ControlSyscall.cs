namespace GpuOsSpec.Tracing.Decoding;

/// <summary>
/// The in-process positive control: a syscall no program makes, getpriority with an invalid <c>which</c> (it fails with
/// EINVAL and changes nothing), made on a traced thread at the start, the end and each phase boundary. The capture must
/// record every one; the trace builder then removes them, so no figure ever includes them.
/// </summary>
internal static class ControlSyscall
{
    /// <summary>"GPSC": the <c>which</c> argument that marks a control call.</summary>
    internal const int Which = 0x47505343;

    internal const string Description = "getpriority(0x47505343, n) on the calling thread at the start, the end and each phase boundary";

    /// <summary>Makes control call number <paramref name="sequence"/>.</summary>
    internal static void Emit(int sequence) => Libc.Getpriority(Which, sequence);

    /// <summary>True when a recorded call is one of ours.</summary>
    internal static bool Is(string name, SyscallArgs args) => name == "getpriority" && (uint)args.A0 == Which;
}
