namespace GpuOsSpec.Tracing.Model;

/// <summary>One syscall, recorded per event.</summary>
/// <param name="Tid">The calling thread.</param>
/// <param name="Number">The syscall number on the traced architecture.</param>
/// <param name="Name">The syscall's name.</param>
/// <param name="Role">Its role; for an ioctl, the decoded ioctl's role.</param>
/// <param name="EnterNs">CLOCK_MONOTONIC nanoseconds at entry.</param>
/// <param name="ExitNs">At exit, or -1 when the call had not returned when the capture stopped.</param>
/// <param name="Result">The return value; -errno on failure.</param>
/// <param name="Args">The raw arguments.</param>
/// <param name="Ioctl">For ioctl, the decoded request.</param>
public readonly record struct SyscallEvent(
    int Tid, int Number, string Name, SyscallRole Role, long EnterNs, long ExitNs, long Result, SyscallArgs Args, IoctlInfo? Ioctl)
{
    /// <summary>True when the call returned.</summary>
    public bool Finished => ExitNs >= 0;

    /// <summary>Nanoseconds in the kernel, or null when the call had not returned.</summary>
    public long? DurationNs => Finished ? ExitNs - EnterNs : null;

    /// <summary>True when the call failed (returned -4095..-1).</summary>
    public bool Failed => Finished && Result is < 0 and >= -4095;

    /// <summary>The errno name of a failed call (ENOENT, EAGAIN, ...), else null.</summary>
    public string? ErrnoName => Failed ? ErrnoNames.Name((int)-Result) : null;

    /// <summary>
    /// For an open that returned an fd (<see cref="FileOpens"/>): the file that fd named, as the capture read it
    /// (strace decodes it; perf reads /proc/PID/fd when it drains the record). Null for any other call, and where the
    /// capture did not read it (the fd was closed, or another file opened on its number, before it was read): never a
    /// guess.
    /// </summary>
    public string? OpenedPath { get; init; }
}
