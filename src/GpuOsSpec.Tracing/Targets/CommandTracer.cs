using System.Diagnostics;
using GpuOsSpec.Tracing.Analysis;
using GpuOsSpec.Tracing.Capture;
using GpuOsSpec.Tracing.Capture.PerfEvents;
using GpuOsSpec.Tracing.Capture.ProcFs;
using GpuOsSpec.Tracing.Capture.Strace;
using GpuOsSpec.Tracing.Interop;
using GpuOsSpec.Tracing.Model;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Targets;

/// <summary>Runs a command to completion under tracing: all its threads and descendants.</summary>
public static class CommandTracer
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/> and returns its trace.</summary>
    /// <param name="command">The program (a path, or a name looked up on PATH).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="options">Capture settings.</param>
    /// <param name="interrupt">
    /// Cancel when the user interrupts: the command is sent SIGINT (SIGKILL if it has not ended 5 s later) and the trace
    /// returned so far is marked incomplete.
    /// </param>
    /// <exception cref="CommandNotFoundException">When the command does not exist or is not executable.</exception>
    /// <exception cref="TracerException">When the chosen source fails; the message has the fix.</exception>
    public static Trace Run(string command, IReadOnlyList<string> arguments, CaptureOptions options, CancellationToken interrupt = default)
    {
        options.Validate();
        string path = CommandResolver.Resolve(command);
        var notes = new List<string>();
        var source = SourceSelector.Choose(options.Source, notes);
        string target = string.Join(' ', new[] { command }.Concat(arguments));
        return source switch
        {
            CaptureSourceKind.Perf => RunPerfWithFallback(path, arguments, options, target, notes, interrupt),
            CaptureSourceKind.Strace => RunStrace(path, arguments, target, notes, interrupt),
            _ => RunCounters(path, arguments, target, notes, interrupt),
        };
    }

    // Hybrid mode needs eBPF. When the mode was not asked for and the kernel refuses eBPF, full mode still gives exact
    // counts (at a higher cost), so fall back and say so.
    private static Trace RunPerfWithFallback(string path, IReadOnlyList<string> arguments, CaptureOptions options, string target, List<string> notes, CancellationToken interrupt)
    {
        if (options.Mode is not null)
        {
            return RunPerf(path, arguments, options, target, notes, interrupt);
        }
        try
        {
            return RunPerf(path, arguments, options with { Mode = PerfMode.Hybrid }, target, notes, interrupt, probeOnly: true);
        }
        catch (BpfUnavailableException ex)
        {
            notes.Add($"hybrid mode unavailable ({ex.Message}); traced in full mode instead.");
            return RunPerf(path, arguments, options with { Mode = PerfMode.Full }, target, notes, interrupt);
        }
    }

    private static Trace RunPerf(string path, IReadOnlyList<string> arguments, CaptureOptions options, string target, List<string> notes, CancellationToken interrupt, bool probeOnly = false)
    {
        var mode = options.Mode ?? PerfMode.Hybrid;
        // The shell stops itself so the events can be opened on it; enable-on-exec then starts counting at the exec of the
        // command itself, so none of the shell's own syscalls are seen.
        var usageBefore = ChildUsage.Now();
        using var process = ChildProcess.Start("/bin/sh", ["/bin/sh", "-c", "kill -STOP $$; exec \"$0\" \"$@\"", path, .. arguments]);
        WaitUntilStopped(process);
        using var capture = new PerfCapture(mode, options.EffectiveBufferPages(mode, inProcess: false), options.RecordPageFaults, enableOnExec: true);
        try
        {
            capture.Attach(process.Id);
        }
        catch
        {
            process.Send(Libc.SIGKILL);
            process.WaitForExit();
            throw;
        }
        // The command inherits the launcher's fds (stdin, stdout, stderr, any others): name them now.
        capture.Fds.Snapshot(process.Id, 0);
        capture.StartReader();
        long start = Clock.NowNs();
        Libc.Kill(process.Id, Libc.SIGCONT);
        var (interrupted, killedBy) = WaitForExit(process, interrupt, () => [process.Id]);
        long end = Clock.NowNs();
        capture.StopAndDrain();
        var counters = mode == PerfMode.Hybrid ? capture.ReadCounters() : null;
        var usage = ChildUsage.Now().Minus(usageBefore);
        var collector = capture.Collector;
        long missing = 0;
        if (mode == PerfMode.Hybrid)
        {
            notes.Add($"hybrid mode: {string.Join(", ", DecodeSet.Names.Order(StringComparer.Ordinal))} are recorded per event; every other syscall is counted in the kernel by eBPF (calls and errors, no durations).");
            missing = CrossCheck(capture, notes);
        }
        return new TraceBuilder
        {
            Source = "perf",
            Mode = mode == PerfMode.Full ? "full" : "hybrid",
            Target = target,
            StartNs = start,
            EndNs = end + 1,
            Syscalls = collector.Syscalls,
            OrphanEnters = collector.OrphanEnters,
            OrphanExits = collector.OrphanExits,
            Counters = counters,
            Fds = capture.Fds,
            Threads = collector.Names,
            Forks = collector.Forks,
            WorkloadTids = new HashSet<int> { process.Id },
            Switches = collector.Switches,
            SwitchesRecorded = true,
            Faults = collector.Faults,
            FaultsRecorded = options.RecordPageFaults,
            MinorFaults = options.RecordPageFaults ? null : new Measurement(usage.MinorFaults, "rusage"),
            MajorFaults = options.RecordPageFaults ? null : new Measurement(usage.MajorFaults, "rusage"),
            Lost = collector.Lost + missing,
            UnreportedLoss = capture.UnreportedLoss(),
            // Counting starts at the command's exec, so the exec's own return is the first event every capture must see.
            ControlExpected = 1,
            ControlSeen = collector.ExitsSeen.Where(e => e.Key == Exec || e.Key == ExecAt).Sum(e => e.Value) > 0 ? 1 : 0,
            ControlWhat = "the return of the command's execve, the first event of a capture that starts at exec",
            Incomplete = interrupted || killedBy is not null,
            IncompleteReason = interrupted ? "interrupted by the user; the command was stopped before it finished" : killedBy,
            ExitCode = process.ExitCode,
            Signal = process.Signal,
            Notes = notes,
        }.Build();
    }

    private static int Exec => Decoding.SyscallTable.Current.Number("execve") ?? -1;

    private static int ExecAt => Decoding.SyscallTable.Current.Number("execveat") ?? -1;

    private static Trace RunStrace(string path, IReadOnlyList<string> arguments, string target, List<string> notes, CancellationToken interrupt)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-strace-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        var usageBefore = ChildUsage.Now();
        long offset = Clock.RealtimeToMonotonicNs();
        long start = Clock.NowNs();
        try
        {
            using var strace = StraceCapture.StartOnCommand(output, path, arguments);
            // SIGINT to strace would detach it and leave the command running: the command gets it, as from a terminal.
            var (interrupted, killedBy) = WaitForExit(strace, interrupt, () => ChildrenOf(strace.Id));
            long end = Clock.NowNs();
            var usage = ChildUsage.Now().Minus(usageBefore);
            var parsed = new StraceCapture();
            parsed.ReadFile(output, strace.Id, offset);
            AddStraceNotes(parsed, notes);
            notes.Add("strace mode: context switches and faults are rusage totals of the command and strace together; strace's stops add context switches of their own.");
            return new TraceBuilder
            {
                Source = "strace",
                Mode = "strace",
                Target = target,
                StartNs = start,
                EndNs = end + 1,
                Syscalls = parsed.Syscalls,
                NameOverride = parsed.NameOf,
                Fds = parsed.Fds,
                Threads = parsed.Tids.ToDictionary(t => t, t => (strace.Id, "?")),
                Voluntary = new Measurement(usage.Voluntary, "rusage"),
                Involuntary = new Measurement(usage.Involuntary, "rusage"),
                MinorFaults = new Measurement(usage.MinorFaults, "rusage"),
                MajorFaults = new Measurement(usage.MajorFaults, "rusage"),
                Lost = parsed.LineCounts[StraceLineKind.Malformed],
                ControlExpected = 1,
                ControlSeen = Enumerable.Range(0, parsed.Syscalls.Count).Any(i => parsed.NameOf(i) == "execve" && parsed.Syscalls[i].Result == 0) ? 1 : 0,
                ControlWhat = "the command's successful execve, which strace prints first",
                Incomplete = interrupted || killedBy is not null,
                IncompleteReason = interrupted ? "interrupted by the user" : killedBy,
                ExitCode = strace.ExitCode,
                Signal = strace.Signal,
                Notes = notes,
            }.Build();
        }
        finally
        {
            File.Delete(output);
        }
    }

    // The eBPF counter sees every exit of the decode set; the per-event records must account for each one.
    private static long CrossCheck(PerfCapture capture, List<string> notes)
    {
        long missing = 0;
        foreach (var (name, kernel) in capture.ReadDecodeSetCounts())
        {
            long seen = capture.Collector.ExitsSeen.GetValueOrDefault(Decoding.SyscallTable.Current.Number(name) ?? -1);
            if (seen < kernel)
            {
                missing += kernel - seen;
                notes.Add($"{name}: the kernel counted {kernel:N0} calls but {seen:N0} were recorded; the difference is reported as lost.");
            }
        }
        return missing;
    }

    internal static void AddStraceNotes(StraceCapture parsed, List<string> notes)
    {
        long malformed = parsed.LineCounts[StraceLineKind.Malformed];
        if (malformed > 0)
        {
            notes.Add($"strace: {malformed} line(s) could not be parsed; each is counted as a lost event, so the trace is inconclusive. E.g. \"{parsed.MalformedSamples.FirstOrDefault()}\".");
        }
        if (parsed.ResumedWithoutStart > 0)
        {
            notes.Add($"strace: {parsed.ResumedWithoutStart} resumed call(s) had no matching start and were skipped.");
        }
    }

    private static Trace RunCounters(string path, IReadOnlyList<string> arguments, string target, List<string> notes, CancellationToken interrupt)
    {
        notes.Add("No syscall source is permitted: only rusage counters were taken. Syscall figures are absent (n/a), not zero.");
        var usageBefore = ChildUsage.Now();
        long start = Clock.NowNs();
        using var process = ChildProcess.Start(path, [path, .. arguments]);
        var (interrupted, killedBy) = WaitForExit(process, interrupt, () => [process.Id]);
        long end = Clock.NowNs();
        var usage = ChildUsage.Now().Minus(usageBefore);
        return new TraceBuilder
        {
            Source = "proc",
            Mode = "counters",
            Target = target,
            StartNs = start,
            EndNs = end + 1,
            SyscallsMeasured = false,
            Threads = new() { [process.Id] = (process.Id, Path.GetFileName(path)) },
            Voluntary = new Measurement(usage.Voluntary, "rusage"),
            Involuntary = new Measurement(usage.Involuntary, "rusage"),
            MinorFaults = new Measurement(usage.MinorFaults, "rusage"),
            MajorFaults = new Measurement(usage.MajorFaults, "rusage"),
            Incomplete = interrupted || killedBy is not null,
            IncompleteReason = interrupted ? "interrupted by the user" : killedBy,
            ExitCode = process.ExitCode,
            Signal = process.Signal,
            Notes = notes,
        }.Build();
    }

    private static void WaitUntilStopped(ChildProcess process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{process.Id}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)] == 'T')
                {
                    return;
                }
            }
            catch (IOException)
            {
                break;
            }
            if (process.HasExited)
            {
                break;
            }
            Thread.Sleep(1);
        }
        throw new TracerException("The launcher shell did not stop itself before exec; cannot attach perf events to the command.");
    }

    // Returns whether the user interrupted, and a reason when the command was killed by a signal (its wait status says
    // so; an exit code above 128 alone does not). Interrupts go to the processes <paramref name="targets"/> names.
    private static (bool Interrupted, string? KilledBy) WaitForExit(ChildProcess process, CancellationToken interrupt, Func<IReadOnlyList<int>> targets)
    {
        bool interrupted = false;
        using (interrupt.Register(() =>
        {
            interrupted = true;
            foreach (int pid in targets())
            {
                Libc.Kill(pid, Libc.SIGINT);
            }
        }))
        {
            while (!process.WaitForExit(200))
            {
                if (interrupted && !process.WaitForExit(5000))
                {
                    foreach (int pid in targets())
                    {
                        Libc.Kill(pid, Libc.SIGKILL);
                    }
                    if (!process.WaitForExit(5000))
                    {
                        process.Send(Libc.SIGKILL);
                    }
                }
            }
        }
        string? killedBy = process.Signal is { } signal
            ? $"the command was killed by {Decoding.SignalNames.Name(signal)}{(process.CoreDumped ? " (core dumped)" : "")}; what it would have done after that was not captured"
            : null;
        return (interrupted, killedBy);
    }

    // The processes a tracer started (strace's tracee), from /proc's children list.
    private static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => int.TryParse(t, out int child) ? child : 0).Where(c => c > 0).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
