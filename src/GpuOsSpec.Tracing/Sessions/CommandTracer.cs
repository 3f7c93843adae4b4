using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Tracing.Sessions;

/// <summary>Runs a command to completion under tracing: all its threads and descendants.</summary>
public static class CommandTracer
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/> and returns its trace.</summary>
    /// <param name="command">The program (a path, or a name looked up on PATH).</param>
    /// <param name="arguments">Its
    /// arguments.</param>
    /// <param name="options">Capture settings.</param>
    /// <param name="interrupt"> Cancel when the user
    /// interrupts: the command is sent SIGINT (SIGKILL if it has not ended 5 s later) and the trace returned so far is
    /// marked incomplete. </param>
    /// <exception cref="CommandNotFoundException">When the command does not exist or is not
    /// executable.</exception>
    /// <exception cref="TracerException">When the chosen source fails; the message has the
    /// fix.</exception>
    public static Trace Run(string command, IReadOnlyList<string> arguments, CaptureOptions options, CancellationToken interrupt = default)
    {
        options.Validate();
        string path = CommandResolver.Resolve(command);
        var notes = new List<string>();
        var source = SourceSelector.Choose(options.Source, notes);
        using var backend = SourceSelector.CreateBackend(source, options);
        long start = Clock.NowNs();
        using var process = backend.StartCommand(path, arguments);
        var (interrupted, killedBy) = WaitForExit(process, interrupt, () => backend.InterruptTargets(process));
        long end = Clock.NowNs();
        return TraceBuilder.From(backend.Stop(), new CaptureTarget
        {
            Target = string.Join(' ', new[] { command }.Concat(arguments)),
            StartNs = start,
            EndNs = end + 1,
            WorkloadTids = new HashSet<int> { process.Id },
            IncompleteReason = interrupted ? "interrupted by the user; the command was stopped before it finished" : killedBy,
            ExitCode = process.ExitCode,
            Signal = process.Signal,
            Notes = notes,
        });
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
            ? $"the command was killed by {SignalNames.Name(signal)}{(process.CoreDumped ? " (core dumped)" : "")}; what it would have done after that was not captured"
            : null;
        return (interrupted, killedBy);
    }
}
