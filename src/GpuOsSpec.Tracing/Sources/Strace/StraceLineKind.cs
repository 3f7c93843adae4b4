namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>What one line of strace output was.</summary>
public enum StraceLineKind
{
    /// <summary>A whole syscall: name(args) = result.</summary>
    Complete,
    /// <summary>The first half of a syscall another thread interrupted: name(args &lt;unfinished ...&gt;.</summary>
    Unfinished,
    /// <summary>The second half: &lt;... name resumed&gt;args) = result.</summary>
    Resumed,
    /// <summary>A signal delivery: --- SIGCHLD {...} ---.</summary>
    Signal,
    /// <summary>A thread or process ended: +++ exited with N +++ or +++ killed by SIG +++.</summary>
    Exit,
    /// <summary>A line that could not be read (truncated, garbled); counted, never fatal.</summary>
    Malformed,
}
