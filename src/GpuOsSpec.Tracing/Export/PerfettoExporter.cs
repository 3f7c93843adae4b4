using System.Text.Json;

namespace GpuOsSpec.Tracing.Export;

/// <summary>
/// Writes a trace in the Chrome trace-event JSON format, which the Perfetto UI (ui.perfetto.dev) opens: one track per
/// thread, phases and syscalls as slices, context switches and page faults as instants. Syscalls the kernel only
/// counted (hybrid mode) have no time or thread: they are a counter track of whole-capture totals, flat across the
/// window, and the file's metadata says so, with the trace's inconclusive reason when it has one.
/// </summary>
public static class PerfettoExporter
{
    /// <summary>Writes <paramref name="trace"/> to <paramref name="path"/>.</summary>
    public static void Write(Trace trace, string path)
    {
        using var stream = File.Create(path);
        Write(trace, stream);
    }

    /// <summary>Writes <paramref name="trace"/> to a stream.</summary>
    public static void Write(Trace trace, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream);
        long origin = trace.StartNs;
        double Us(long ns) => (ns - origin) / 1000.0;
        var pidOf = trace.Threads.ToDictionary(t => t.Tid, t => t.Pid);
        int Pid(int tid) => pidOf.TryGetValue(tid, out int p) ? p : tid;

        w.WriteStartObject();
        w.WriteString("displayTimeUnit", "ns");
        w.WriteStartArray("traceEvents");
        foreach (var pid in trace.Threads.Select(t => t.Pid).Distinct())
        {
            Meta(w, "process_name", pid, pid, pid == trace.Threads.FirstOrDefault()?.Pid ? trace.Target : $"pid {pid}");
        }
        foreach (var t in trace.Threads)
        {
            Meta(w, "thread_name", t.Pid, t.Tid, $"{t.Name} ({t.Tid}, {t.Origin})");
        }
        foreach (var p in trace.Phases)
        {
            Slice(w, p.Path, "phase", Pid(p.Tid), p.Tid, Us(p.StartNs), (p.EndNs - p.StartNs) / 1000.0, null);
        }
        foreach (var a in trace.ApiCalls)
        {
            // API calls as slices on their thread, under which the syscalls they made nest.
            long end = a.Finished ? a.EndNs : trace.EndNs;
            Slice(w, a.Name, "api", Pid(a.Tid), a.Tid, Us(a.StartNs), Math.Max(0.001, (end - a.StartNs) / 1000.0), null);
        }
        foreach (var s in trace.Syscalls)
        {
            long end = s.Finished ? s.ExitNs : trace.EndNs;
            string name = s.Ioctl is { } io ? $"ioctl {io.DisplayName}" : s.Name;
            Slice(w, name, RoleNames.Of(s.Role), Pid(s.Tid), s.Tid, Us(s.EnterNs), Math.Max(0.001, (end - s.EnterNs) / 1000.0), s);
        }
        foreach (var c in trace.ContextSwitches)
        {
            Instant(w, c.Voluntary ? "switch out (voluntary)" : "switch out (involuntary)", "sched", Pid(c.Tid), c.Tid, Us(c.TimeNs));
        }
        foreach (var f in trace.PageFaults)
        {
            Instant(w, f.Major ? "major fault" : "minor fault", "fault", Pid(f.Tid), f.Tid, Us(f.TimeNs));
        }
        foreach (var e in trace.RuntimeEvents)
        {
            Instant(w, $"{e.Kind}: {e.Detail}", "dotnet", Pid(e.Tid), e.Tid, Us(e.TimeNs));
        }
        var counted = trace.SyscallTotals.Where(t => !t.PerEvent).ToList();
        int root = trace.Threads.FirstOrDefault()?.Pid ?? 0;
        if (counted.Count > 0)
        {
            Counter(w, CountedTrack, root, 0, counted);
            Counter(w, CountedTrack, root, Us(trace.EndNs), counted);
        }
        w.WriteEndArray();
        w.WriteStartObject("metadata");
        w.WriteString("gpuosspec-source", $"{CaptureNames.Of(trace.Source)} ({CaptureNames.Of(trace.Mode)})");
        w.WriteNumber("gpuosspec-syscalls-per-event", trace.Syscalls.Count);
        w.WriteNumber("gpuosspec-syscalls-counted-in-kernel", counted.Sum(t => t.Count));
        if (counted.Count > 0)
        {
            w.WriteString("gpuosspec-note", $"{counted.Sum(t => t.Count):N0} syscalls were counted in the kernel without time or thread (hybrid mode); they are the \"{CountedTrack}\" counter track, not slices.");
        }
        w.WriteString("gpuosspec-inconclusive", trace.InconclusiveReason);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private const string CountedTrack = "syscalls counted in the kernel (whole capture)";

    private static void Counter(Utf8JsonWriter w, string name, int pid, double ts, IEnumerable<SyscallTotal> totals)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("ph", "C");
        w.WriteNumber("pid", pid);
        w.WriteNumber("ts", Math.Round(ts, 3));
        w.WriteStartObject("args");
        foreach (var t in totals)
        {
            w.WriteNumber(t.Name, t.Count);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Meta(Utf8JsonWriter w, string kind, int pid, int tid, string name)
    {
        w.WriteStartObject();
        w.WriteString("name", kind);
        w.WriteString("ph", "M");
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Slice(Utf8JsonWriter w, string name, string category, int pid, int tid, double ts, double dur, SyscallEvent? s)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("cat", category);
        w.WriteString("ph", "X");
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteNumber("ts", Math.Round(ts, 3));
        w.WriteNumber("dur", Math.Round(dur, 3));
        if (s is { } call)
        {
            w.WriteStartObject("args");
            if (call.Finished)
            {
                w.WriteNumber("result", call.Result);
            }
            if (call.ErrnoName is { } errno)
            {
                w.WriteString("errno", errno);
            }
            if (FileOpens.Is(call.Name) && call.Finished && !call.Failed)
            {
                // The path where the capture read it; otherwise no path at all, and a word saying so.
                if (call.OpenedPath is { } path)
                {
                    w.WriteString("path", path);
                }
                else
                {
                    w.WriteString("pathSource", "not read");
                }
            }
            if (call.Ioctl is { } io)
            {
                w.WriteString("device", io.Device);
                w.WriteString("request", $"0x{io.Code.Raw:x}");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Instant(Utf8JsonWriter w, string name, string category, int pid, int tid, double ts)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("cat", category);
        w.WriteString("ph", "i");
        w.WriteString("s", "t");
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteNumber("ts", Math.Round(ts, 3));
        w.WriteEndObject();
    }
}
