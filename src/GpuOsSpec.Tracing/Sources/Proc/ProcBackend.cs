namespace GpuOsSpec.Tracing.Sources.Proc;

/// <summary>
/// The fallback when no syscall source is permitted: /proc counters in process, rusage for a command. Syscall figures
/// are absent (n/a), never zero.
/// </summary>
internal sealed class ProcBackend : ICaptureBackend
{
    private readonly List<string> _notes = [];
    private ChildProcess? _command;
    private string? _name;
    private ChildUsage? _usageBefore;

    public IReadOnlySet<int> StartInProcess(IReadOnlySet<int> exclude)
    {
        _notes.Add("No syscall source is permitted: only /proc counters are taken. Syscall figures are absent (n/a), not zero.");
        return new HashSet<int>();
    }

    public ChildProcess StartCommand(string path, IReadOnlyList<string> arguments)
    {
        _notes.Add("No syscall source is permitted: only rusage counters were taken. Syscall figures are absent (n/a), not zero.");
        _usageBefore = ChildUsage.Now();
        _name = Path.GetFileName(path);
        _command = ChildProcess.Start(path, [path, .. arguments]);
        return _command;
    }

    public IReadOnlyList<int> InterruptTargets(ChildProcess started) => [started.Id];

    public CaptureResult Stop()
    {
        var usage = _usageBefore is { } before ? ChildUsage.Now().Minus(before) : (ChildUsage?)null;
        Measurement? Rusage(Func<ChildUsage, long> f) => usage is { } u ? new Measurement(f(u), "rusage") : null;
        return new CaptureResult
        {
            Source = CaptureSourceKind.Proc,
            Mode = CaptureMode.Counters,
            SyscallsMeasured = false,
            Threads = _command is null ? [] : new() { [_command.Id] = (_command.Id, _name!) },
            Voluntary = Rusage(u => u.Voluntary),
            Involuntary = Rusage(u => u.Involuntary),
            MinorFaults = Rusage(u => u.MinorFaults),
            MajorFaults = Rusage(u => u.MajorFaults),
            Notes = _notes,
        };
    }

    public void Dispose()
    {
    }
}
