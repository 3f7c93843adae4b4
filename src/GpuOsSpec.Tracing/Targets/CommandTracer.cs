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
    /// Cancel when the user interrupts: the command is sent SIGINT (SIGKILL on a second cancel) and the trace returned
    /// so far is marked incomplete.
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
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("kill -STOP $$; exec \"$0\" \"$@\"");
        psi.ArgumentList.Add(path);
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        var usageBefore = ChildUsage.Now();
        using var process = Process.Start(psi) ?? throw new TracerException("/bin/sh could not be started.");
        WaitUntilStopped(process);
        using var capture = new PerfCapture(mode, options.EffectiveBufferPages(mode, inProcess: false), options.RecordPageFaults, enableOnExec: true);
        try
        {
            capture.Attach(process.Id);
        }
        catch (BpfUnavailableException) when (probeOnly)
        {
            process.Kill();
            process.WaitForExit();
            throw;
        }
        catch
        {
            process.Kill();
            throw;
        }
        // The command inherits the launcher's fds (stdin, stdout, stderr, any others): name them now.
        capture.Fds.Snapshot(process.Id, 0);
        capture.StartReader();
        long start = Clock.NowNs();
        Libc.Kill(process.Id, Libc.SIGCONT);
        var (interrupted, killedBy) = WaitForExit(process, interrupt);
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
            Incomplete = interrupted || killedBy is not null,
            IncompleteReason = interrupted ? "interrupted by the user; the command was stopped before it finished" : killedBy,
            ExitCode = process.ExitCode,
            Notes = notes,
        }.Build();
    }

    private static Trace RunStrace(string path, IReadOnlyList<string> arguments, string target, List<string> notes, CancellationToken interrupt)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-strace-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        var usageBefore = ChildUsage.Now();
        long offset = Clock.RealtimeToMonotonicNs();
        long start = Clock.NowNs();
        try
        {
            using var strace = StraceCapture.StartOnCommand(output, path, arguments);
            var (interrupted, killedBy) = WaitForExit(strace, interrupt);
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
                Incomplete = interrupted || killedBy is not null,
                IncompleteReason = interrupted ? "interrupted by the user" : killedBy,
                ExitCode = strace.ExitCode,
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
            notes.Add($"strace: {malformed} line(s) could not be parsed and were skipped, e.g. \"{parsed.MalformedSamples.FirstOrDefault()}\".");
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
        var psi = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        long start = Clock.NowNs();
        using var process = Process.Start(psi) ?? throw new TracerException($"{path} could not be started.");
        var (interrupted, killedBy) = WaitForExit(process, interrupt);
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
            Notes = notes,
        }.Build();
    }

    private static void WaitUntilStopped(Process process)
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

    // Returns whether the user interrupted, and a reason when the command was killed by a signal.
    private static (bool Interrupted, string? KilledBy) WaitForExit(Process process, CancellationToken interrupt)
    {
        bool interrupted = false;
        using (interrupt.Register(() =>
        {
            interrupted = true;
            Libc.Kill(process.Id, Libc.SIGINT);
        }))
        {
            while (!process.WaitForExit(200))
            {
                if (interrupted && !process.WaitForExit(5000))
                {
                    Libc.Kill(process.Id, Libc.SIGKILL);
                }
            }
            process.WaitForExit();
        }
        int code = process.ExitCode;
        string? killedBy = code is > 128 and < 128 + 65 && code - 128 is 2 or 6 or 9 or 11 or 15 or 4 or 7 or 8
            ? $"the command ended with status {code}, which is how a kill by signal {code - 128} ({SignalName(code - 128)}) shows; what it did after that was not captured"
            : null;
        return (interrupted, killedBy);
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => "SIGINT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL", 11 => "SIGSEGV", 15 => "SIGTERM", _ => $"signal {signal}",
    };
}
