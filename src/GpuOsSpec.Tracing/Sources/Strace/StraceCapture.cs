using System.Diagnostics;

namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>Reads an strace output file into paired syscalls and fd paths, counting every odd line.</summary>
internal sealed class StraceCapture
{
    // Nanosecond wall-clock stamps (strace 5.17+), so calls next to a phase boundary land on the right side of it.
    internal const string Arguments = "-f -qq --absolute-timestamps=format:unix,precision:ns -T -y -e raw=ioctl";

    // The name strace printed for each record, parallel to Syscalls (a number alone loses names this table lacks).
    private readonly List<string> _names = [];

    internal List<RawSyscall> Syscalls { get; } = [];
    internal FdTable Fds { get; } = new();
    internal HashSet<int> Tids { get; } = [];
    internal Dictionary<StraceLineKind, long> LineCounts { get; } = Enum.GetValues<StraceLineKind>().ToDictionary(k => k, _ => 0L);
    internal List<string> MalformedSamples { get; } = [];
    internal long ResumedWithoutStart { get; private set; }

    /// <summary>Parses the file; <paramref name="realtimeToMonotonicNs"/> is subtracted from strace's CLOCK_REALTIME
    /// stamps.</summary>
    internal void ReadFile(string path, int pid, long realtimeToMonotonicNs, long? fromNs = null, long? untilNs = null)
    {
        var table = SyscallTable.Current;
        var open = new Dictionary<int, StraceLine>();
        foreach (string text in File.ReadLines(path))
        {
            var line = StraceLineParser.Parse(text);
            LineCounts[line.Kind]++;
            if (line.Kind == StraceLineKind.Malformed)
            {
                if (MalformedSamples.Count < 5)
                {
                    MalformedSamples.Add(text.Length > 160 ? text[..160] + "…" : text);
                }
                continue;
            }
            Tids.Add(line.Tid);
            switch (line.Kind)
            {
                case StraceLineKind.Unfinished:
                    open[line.Tid] = line;
                    break;
                case StraceLineKind.Resumed:
                    if (open.Remove(line.Tid, out var start) && start.Name == line.Name)
                    {
                        Add(table, pid, start with { Arguments = start.Arguments + line.Arguments }, line.Result, line.ResultPath, line.DurationNs, realtimeToMonotonicNs, fromNs, untilNs);
                    }
                    else
                    {
                        ResumedWithoutStart++;
                    }
                    break;
                case StraceLineKind.Complete:
                    Add(table, pid, line, line.Result, line.ResultPath, line.DurationNs, realtimeToMonotonicNs, fromNs, untilNs);
                    break;
            }
        }
        foreach (var unfinished in open.Values)
        {
            Add(table, pid, unfinished, null, null, null, realtimeToMonotonicNs, fromNs, untilNs);
        }
    }

    private void Add(SyscallTable table, int pid, StraceLine line, long? result, string? resultPath, long? durationNs, long offset, long? fromNs, long? untilNs)
    {
        long enter = line.RealtimeNs - offset;
        if ((fromNs.HasValue && enter < fromNs) || (untilNs.HasValue && enter >= untilNs))
        {
            return;
        }
        var args = StraceLineParser.SplitArguments(line.Arguments);
        ulong Arg(int i) => i < args.Count ? StraceLineParser.Number(args[i]) ?? 0 : 0;
        for (int i = 0; i < args.Count; i++)
        {
            if (StraceLineParser.FdPath(args[i]) is { } p && StraceLineParser.Number(args[i]) is { } fdNumber)
            {
                Fds.Set(pid, (long)fdNumber, p, enter);
            }
        }
        if (resultPath is not null && result is >= 0)
        {
            Fds.Set(pid, result.Value, resultPath, enter);
        }
        Syscalls.Add(new RawSyscall
        {
            Pid = pid,
            Tid = line.Tid,
            Number = table.Number(line.Name!) ?? -1,
            EnterNs = enter,
            ExitNs = result.HasValue || durationNs.HasValue ? enter + (durationNs ?? 0) : -1,
            Result = result ?? 0,
            Args = new Model.SyscallArgs(Arg(0), Arg(1), Arg(2), Arg(3), Arg(4), Arg(5)),
        });
        _names.Add(line.Name!);
    }

    /// <summary>The name strace printed for syscall record <paramref name="index"/> (used when the number is
    /// unknown).</summary>
    internal string NameOf(int index) => _names[index];

    /// <summary>Starts strace on a command; output goes to <paramref name="outputPath"/>.</summary>
    /// <remarks>strace ends the way its tracee did (a killed tracee gets strace killed by the same signal).</remarks>
    internal static ChildProcess StartOnCommand(string outputPath, string command, IEnumerable<string> arguments)
    {
        string strace = StraceSource.Executable() ?? throw new TracerException("strace is not on PATH. Fix: apt-get install strace.");
        return ChildProcess.Start(strace, [strace, .. Arguments.Split(' '), "-o", outputPath, "--", command, .. arguments]);
    }

    /// <summary>Attaches strace to every thread of <paramref name="pid"/> and waits until it says it is
    /// attached.</summary>
    internal static Process Attach(string outputPath, int pid)
    {
        // Under Yama ptrace_scope=1 a process must name its tracer; allow any, for the life of the capture.
        Libc.Prctl(Libc.PR_SET_PTRACER, Libc.PR_SET_PTRACER_ANY, 0, 0, 0);
        var psi = new ProcessStartInfo(StraceSource.Executable() ?? throw new TracerException("strace is not on PATH. Fix: apt-get install strace."))
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        foreach (string a in "-f --absolute-timestamps=format:unix,precision:ns -T -y -e raw=ioctl".Split(' '))
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(outputPath);
        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var strace = Process.Start(psi) ?? throw new TracerException("strace could not be started.");
        var attached = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        strace.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                attached.TrySetResult(null);
                return;
            }
            errors.AppendLine(e.Data);
            if (e.Data.Contains("attached", StringComparison.Ordinal))
            {
                attached.TrySetResult(e.Data);
            }
        };
        strace.BeginErrorReadLine();
        if (!attached.Task.Wait(TimeSpan.FromSeconds(10)) || attached.Task.Result is null)
        {
            try { strace.Kill(); } catch (InvalidOperationException) { }
            throw new TracerException($"strace could not attach to pid {pid}: {errors.ToString().Trim()}. Fix: run as root or allow ptrace (kernel.yama.ptrace_scope).");
        }
        return strace;
    }
}
