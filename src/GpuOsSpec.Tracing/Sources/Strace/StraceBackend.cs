namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>
/// The strace source: strace attached to this process, or running the command, writes every syscall to a file that
/// is parsed at the end. Switches and faults are not strace's: in process they come from /proc, for a command from
/// rusage (which strace's own stops inflate).
/// </summary>
internal sealed class StraceBackend : ICaptureBackend
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"gpuosspec-strace-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
    private readonly long _realtimeOffset = Clock.RealtimeToMonotonicNs();
    private readonly List<string> _notes = [];
    private System.Diagnostics.Process? _attached;
    private ChildProcess? _command;
    private ChildUsage? _usageBefore;
    private CaptureResult? _result;

    public IReadOnlySet<int> StartInProcess(IReadOnlySet<int> exclude)
    {
        _attached = StraceCapture.Attach(_output, Environment.ProcessId);
        return new HashSet<int>();
    }

    public ChildProcess StartCommand(string path, IReadOnlyList<string> arguments)
    {
        _usageBefore = ChildUsage.Now();
        _command = StraceCapture.StartOnCommand(_output, path, arguments);
        return _command;
    }

    // SIGINT to strace would detach it and leave the command running: the command gets it, as from a terminal.
    public IReadOnlyList<int> InterruptTargets(ChildProcess started) => ProcessThreads.ChildrenOf(started.Id);

    public CaptureResult Stop()
    {
        if (_result is not null)
        {
            return _result;
        }
        if (_attached is not null)
        {
            Libc.Kill(_attached.Id, Libc.SIGINT);
            _attached.WaitForExit(10_000);
        }
        int pid = _command?.Id ?? Environment.ProcessId;
        var parsed = new StraceCapture();
        try
        {
            parsed.ReadFile(_output, pid, _realtimeOffset);
        }
        finally
        {
            File.Delete(_output);
        }
        long malformed = parsed.LineCounts[StraceLineKind.Malformed];
        if (malformed > 0)
        {
            _notes.Add($"strace: {malformed} line(s) could not be parsed; each is counted as a lost event, so the trace is inconclusive. E.g. \"{parsed.MalformedSamples.FirstOrDefault()}\".");
        }
        if (parsed.ResumedWithoutStart > 0)
        {
            _notes.Add($"strace: {parsed.ResumedWithoutStart} resumed call(s) had no matching start and were skipped.");
        }
        var usage = _usageBefore is { } before ? ChildUsage.Now().Minus(before) : (ChildUsage?)null;
        if (usage is not null)
        {
            _notes.Add("strace mode: context switches and faults are rusage totals of the command and strace together; strace's stops add context switches of their own.");
        }
        Measurement? Rusage(Func<ChildUsage, long> f) => usage is { } u ? new Measurement(f(u), "rusage") : null;
        _result = new CaptureResult
        {
            Source = CaptureSourceKind.Strace,
            Mode = CaptureMode.Strace,
            Syscalls = parsed.Syscalls,
            NameOf = parsed.NameOf,
            Fds = parsed.Fds,
            Threads = _command is null ? [] : parsed.Tids.ToDictionary(t => t, _ => (pid, "?")),
            Voluntary = Rusage(u => u.Voluntary),
            Involuntary = Rusage(u => u.Involuntary),
            MinorFaults = Rusage(u => u.MinorFaults),
            MajorFaults = Rusage(u => u.MajorFaults),
            Lost = malformed,
            Control = _command is null ? null
                : (Enumerable.Range(0, parsed.Syscalls.Count).Any(i => parsed.NameOf(i) == "execve" && parsed.Syscalls[i].Result == 0) ? 1 : 0, 1,
                    "the command's successful execve, which strace prints first"),
            Notes = _notes,
        };
        return _result;
    }

    public void Dispose()
    {
        if (_attached is { HasExited: false })
        {
            _attached.Kill();
        }
        _attached?.Dispose();
        _attached = null;
        File.Delete(_output);
    }
}
