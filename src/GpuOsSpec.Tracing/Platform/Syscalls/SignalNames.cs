namespace GpuOsSpec.Tracing.Platform.Syscalls;

/// <summary>Linux signal names by number (x86_64 and aarch64 share them).</summary>
public static class SignalNames
{
    private static readonly string[] s_names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
        "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGKILL" for 9; "SIGRTMIN+n" for real-time signals; "signal N" otherwise.</summary>
    public static string Name(int signal) => signal switch
    {
        > 0 and < 32 => s_names[signal],
        >= 34 and <= 64 => $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };
}
