using System.Diagnostics;

namespace GpuOsSpec.Tracing.Platform.Tracepoints;

/// <summary>
/// Uprobe events this process defines in tracefs (uprobe_events), in a group of its own, removed on dispose. Each is
/// then opened as a tracepoint, which perf inherits into forked children. (perf_event_open's uprobe PMU cannot be
/// inherited: the kernel re-reads the path pointer in every forked child, where it points nowhere, and fork fails with
/// EFAULT.)
/// </summary>
internal sealed class UprobeGroup : IDisposable
{
    private static int s_groups;
    private readonly string _root;
    private readonly List<string> _names = [];

    /// <exception cref="TracerException">When tracefs has no uprobe_events; the message has the fix.</exception>
    internal UprobeGroup(string purpose)
    {
        if (Tracefs.Root is not { } root || !File.Exists(Path.Combine(root, "uprobe_events")))
        {
            throw new TracerException($"tracefs has no uprobe_events, so {purpose} cannot be probed. Fix: {Tracefs.MountFix}; the kernel needs CONFIG_UPROBE_EVENTS.");
        }
        _root = root;
        // One group per capture: a probe whose perf events are still being torn down cannot be redefined under its
        // name.
        Name = $"gpuosspec_{Environment.ProcessId}_{Interlocked.Increment(ref s_groups)}_{purpose}";
        RemoveStale(root);
    }

    // Groups of processes that no longer run (killed before they could remove their probes) are removed.
    private static void RemoveStale(string root)
    {
        string file = Path.Combine(root, "uprobe_events");
        foreach (string line in File.ReadLines(file).ToList())
        {
            // "p:gpuosspec_1234_1_api/e_cuInit /usr/lib/...:0x..."
            string[] head = line.Split(' ', 2)[0].Split(':', 2);
            if (head.Length == 2 && head[1].StartsWith("gpuosspec_", StringComparison.Ordinal)
                && head[1].Split('_') is { Length: > 2 } parts && int.TryParse(parts[1], out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Remove(file, head[1]);
            }
        }
    }

    // True once the probe is gone: removed now, or not there (ENOENT); false while the kernel refuses (EBUSY).
    private static bool Remove(string file, string groupAndName)
    {
        try
        {
            File.AppendAllText(file, $"-:{groupAndName}\n");
            return true;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The tracefs group.</summary>
    internal string Name { get; }

    /// <summary>Defines an entry (p:) or return (r:) probe at <paramref name="offset"/> in <paramref name="path"/>;
    /// returns its tracepoint id and format.</summary>
    /// <exception cref="TracerException">When tracefs refuses it (not
    /// root; a path it cannot resolve).</exception>
    internal (ulong Id, TracepointFormat Format) Define(string name, bool onReturn, string path, ulong offset, string fetchArguments = "")
    {
        string definition = $"{(onReturn ? 'r' : 'p')}:{Name}/{name} {path}:0x{offset:x}{(fetchArguments.Length > 0 ? " " + fetchArguments : "")}";
        try
        {
            File.AppendAllText(Path.Combine(_root, "uprobe_events"), definition + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TracerException($"tracefs refused the uprobe `{definition}` ({ex.Message}). Fix: run as root.");
        }
        _names.Add(name);
        var format = Tracefs.Format(Name, name);
        var id = Tracefs.EventId(Name, name);
        return format is not null && id is not null
            ? ((ulong)id.Value, format)
            : throw new TracerException($"tracefs accepted the uprobe {Name}/{name} but shows no such event.");
    }

    /// <summary>
    /// Removes the probes before it returns; run it after their perf events are closed (an open event keeps its probe
    /// busy). Idempotent.
    /// </summary>
    public void Dispose()
    {
        // The kernel may still hold a probe for a moment after its last perf event was closed (the release waits for an
        // RCU grace period) and refuses its removal until then: the removal is retried here, on the caller's thread, so
        // it is done when the capture returns and before the process can exit. A probe still busy after the deadline (a
        // perf event someone else holds) is left to RemoveStale, which removes the groups of processes that have ended.
        string file = Path.Combine(_root, "uprobe_events");
        var pending = _names.Select(n => $"{Name}/{n}").ToList();
        _names.Clear();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            pending.RemoveAll(n => Remove(file, n));
            if (pending.Count == 0 || deadline.Elapsed > RemovalDeadline)
            {
                return;
            }
            Thread.Sleep(5);
        }
    }

    // Generous: a grace period takes milliseconds; this bounds the wait when a probe cannot be removed at all.
    private static readonly TimeSpan RemovalDeadline = TimeSpan.FromSeconds(10);
}
