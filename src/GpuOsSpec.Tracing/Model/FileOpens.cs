namespace GpuOsSpec.Tracing.Model;

/// <summary>The syscalls that open a file and return its fd, and what the evidence says each one opened.</summary>
public static class FileOpens
{
    /// <summary>open, openat, openat2 and creat.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal) { "open", "openat", "openat2", "creat" };

    /// <summary>True when <paramref name="syscallName"/> opens a file and returns its fd.</summary>
    public static bool Is(string syscallName) => Names.Contains(syscallName);

    /// <summary>
    /// What an open opened, in words: its path where the capture read it; "path not read" where the call returned an
    /// fd whose path the capture did not read; "failed ENOENT" or "not returned" where it returned no fd; null for a
    /// call that is no open.
    /// </summary>
    public static string? Describe(SyscallEvent call) =>
        !Is(call.Name) ? null
        : !call.Finished ? "not returned"
        : call.Failed ? $"failed {call.ErrnoName}"
        : call.OpenedPath ?? "path not read";
}
