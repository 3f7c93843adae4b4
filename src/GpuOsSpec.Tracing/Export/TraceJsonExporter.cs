using System.Text.Json;

namespace GpuOsSpec.Tracing.Export;

/// <summary>
/// Writes a trace as JSON (schema <see cref="Trace.SchemaVersion"/>): the capture's facts, whole-capture totals, and
/// the same totals per phase. Absent figures are null, never 0.
/// </summary>
public static class TraceJsonExporter
{
    private const int MaxOpens = 10_000;

    /// <summary>Writes <paramref name="trace"/> to <paramref name="path"/>.</summary>
    public static void Write(Trace trace, string path)
    {
        using var stream = File.Create(path);
        Write(trace, stream);
    }

    /// <summary>Writes <paramref name="trace"/> to a stream.</summary>
    public static void Write(Trace trace, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", Trace.SchemaVersion);
        w.WriteString("source", CaptureNames.Of(trace.Source));
        w.WriteString("mode", CaptureNames.Of(trace.Mode));
        w.WriteString("target", trace.Target);
        w.WriteString("architecture", trace.Architecture);
        w.WriteString("kernel", trace.KernelRelease);
        w.WriteNumber("durationNs", trace.EndNs - trace.StartNs);
        if (trace.ExitCode is { } code)
        {
            w.WriteNumber("exitCode", code);
        }
        else
        {
            w.WriteNull("exitCode");
        }
        if (trace.Signal is { } signal)
        {
            w.WriteString("signal", SignalNames.Name(signal));
        }
        else
        {
            w.WriteNull("signal");
        }
        w.WriteBoolean("inconclusive", trace.IsInconclusive);
        w.WriteString("inconclusiveReason", trace.InconclusiveReason);
        w.WriteNumber("lostEvents", trace.LostEvents);
        w.WriteString("unreportedLoss", trace.UnreportedLoss);
        if (trace.Control is { } control)
        {
            w.WriteStartObject("positiveControl");
            w.WriteNumber("expected", control.Expected);
            w.WriteNumber("seen", control.Seen);
            w.WriteString("what", control.What);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("positiveControl");
        }
        w.WriteNumber("lostRuntimeEvents", trace.LostRuntimeEvents);
        w.WriteBoolean("incomplete", trace.Incomplete);
        w.WriteString("incompleteReason", trace.IncompleteReason);
        w.WriteBoolean("syscallsMeasured", trace.SyscallsMeasured);
        w.WriteStartArray("notes");
        foreach (string n in trace.Notes)
        {
            w.WriteStringValue(n);
        }
        w.WriteEndArray();

        w.WriteStartArray("threads");
        foreach (var t in trace.Threads)
        {
            w.WriteStartObject();
            w.WriteNumber("tid", t.Tid);
            w.WriteNumber("pid", t.Pid);
            w.WriteString("name", t.Name);
            w.WriteString("origin", t.Origin.ToString());
            if (t.ParentTid is { } parent)
            {
                w.WriteNumber("parentTid", parent);
            }
            w.WriteBoolean("createdDuringCapture", t.CreatedDuringCapture);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        WriteFigures(w, trace.AllThreads(), trace);

        w.WriteStartArray("phases");
        // One entry per phase path; a phase that ran several times (once per training step) is summed over its runs.
        foreach (var runs in trace.Phases.GroupBy(p => p.Path))
        {
            var p = runs.First();
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteString("path", p.Path);
            w.WriteNumber("tid", p.Tid);
            w.WriteNumber("startNs", p.StartNs - trace.StartNs);
            w.WriteNumber("durationNs", runs.Sum(r => r.DurationNs));
            w.WriteNumber("runs", runs.Count());
            w.WriteString("origin", p.Origin == PhaseOrigin.GpuOsMarkers ? "gpuos" : "tracer");
            if (p.Class != PhaseClass.None)
            {
                w.WriteString("class", p.Class switch { PhaseClass.LatencyCritical => "latency", PhaseClass.Throughput => "throughput", _ => "background" });
            }
            w.WriteBoolean("abandoned", runs.Any(r => r.Abandoned));
            var view = trace.View().InPhase(p.Path);
            w.WriteBoolean("syscallsComplete", view.SyscallsComplete);
            WriteFigures(w, view, trace);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (trace.PhaseCrossCheck is { } check)
        {
            WriteCrossCheck(w, check);
        }

        w.WriteStartArray("mappingChanges");
        foreach (var m in trace.MappingChanges.Take(10_000))
        {
            w.WriteStartObject();
            w.WriteNumber("tid", m.Tid);
            w.WriteNumber("timeNs", m.TimeNs - trace.StartNs);
            w.WriteString("kind", m.Kind.ToString());
            w.WriteString("address", $"0x{m.Address:x}");
            w.WriteNumber("length", m.Length);
            w.WriteNumber("protection", m.Protection);
            w.WriteString("device", m.Device);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("runtimeEvents");
        foreach (var e in trace.RuntimeEvents.Take(10_000))
        {
            w.WriteStartObject();
            w.WriteNumber("timeNs", e.TimeNs - trace.StartNs);
            w.WriteNumber("tid", e.Tid);
            w.WriteString("kind", e.Kind.ToString());
            w.WriteString("name", e.Name);
            w.WriteString("detail", e.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes what a run's report says of its capture, as properties of the open object: source, mode, lost events,
    /// inconclusive, kernel, and the threads with an origin (tid, name, origin).
    /// </summary>
    public static void WriteCaptureSummary(Utf8JsonWriter w, Trace trace)
    {
        w.WriteString("source", CaptureNames.Of(trace.Source));
        w.WriteString("mode", CaptureNames.Of(trace.Mode));
        w.WriteNumber("lostEvents", trace.LostEvents);
        w.WriteBoolean("inconclusive", trace.IsInconclusive);
        w.WriteString("kernel", trace.KernelRelease);
        w.WriteStartArray("threads");
        foreach (var t in trace.Threads.Where(t => t.Origin != ThreadOrigin.None))
        {
            w.WriteStartObject();
            w.WriteNumber("tid", t.Tid);
            w.WriteString("name", t.Name);
            w.WriteString("origin", t.Origin.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Writes a view's figures (syscalls, roles, ioctls, context switches, page faults) as properties of the
    /// open object.</summary>
    public static void WriteFigures(Utf8JsonWriter w, TraceView view) => WriteFigures(w, view, view.Trace);

    private static void WriteFigures(Utf8JsonWriter w, TraceView view, Trace trace)
    {
        w.WriteStartArray("syscalls");
        if (trace.SyscallsMeasured)
        {
            foreach (var s in view.SyscallTotals())
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("role", s.Name == "ioctl" ? "by request (see ioctls)" : RoleNames.Of(s.Role));
                w.WriteNumber("count", s.Count);
                WriteNullable(w, "errors", s.Errors);
                WriteNullable(w, "kernelNs", s.KernelNs);
                w.WriteBoolean("perEvent", s.PerEvent);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        WriteNullable(w, "syscallCount", view.SyscallCount().Value);
        w.WriteString("syscallCountSource", view.SyscallCount().Source);
        // A role that was not measured is null, never 0.
        w.WriteStartObject("roles");
        foreach (var (role, count) in view.CountByRole())
        {
            WriteNullable(w, RoleNames.Of(role), count.Value);
        }
        w.WriteEndObject();
        if (trace.ApiCallsRecorded)
        {
            // Schema 2: the OS cost of each probed vendor API function.
            w.WriteStartArray("apiCalls");
            foreach (var a in view.ApiCosts())
            {
                w.WriteStartObject();
                w.WriteString("name", a.Name);
                w.WriteString("library", a.Library);
                w.WriteNumber("calls", a.Calls);
                // Faults not measured leave OS-invisibility unknown: null, never 0.
                WriteNullable(w, "osInvisible", a.OsInvisible);
                if (a.OsInvisibleShare is { } share)
                {
                    w.WriteNumber("osInvisibleShare", Math.Round(share, 4));
                }
                else
                {
                    w.WriteNull("osInvisibleShare");
                }
                // Not all measured (joined from samples in hybrid mode): null, never the part that was.
                WriteNullable(w, "syscalls", a.Syscalls);
                w.WriteNumber("ioctls", a.Ioctls);
                w.WriteNumber("voluntarySwitches", a.VoluntarySwitches);
                w.WriteNumber("involuntarySwitches", a.InvoluntarySwitches);
                WriteNullable(w, "pageFaults", a.PageFaults);
                w.WriteNumber("timeNs", a.TimeNs);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("ioctls");
        foreach (var i in view.Ioctls())
        {
            w.WriteStartObject();
            w.WriteString("device", i.Device);
            w.WriteString("name", i.Name);
            w.WriteString("role", RoleNames.Of(i.Role));
            w.WriteNumber("count", i.Count);
            w.WriteNumber("errors", i.Errors);
            w.WriteBoolean("known", i.Known);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteOpens(w, view, trace);
        w.WriteStartObject("contextSwitches");
        WriteMeasurement(w, "voluntary", view.VoluntarySwitches());
        WriteMeasurement(w, "involuntary", view.InvoluntarySwitches());
        w.WriteEndObject();
        w.WriteStartObject("pageFaults");
        WriteMeasurement(w, "minor", view.MinorFaults());
        WriteMeasurement(w, "major", view.MajorFaults());
        w.WriteEndObject();
    }

    // Each open with the file it opened: the path where the capture read it, else null with pathSource saying why,
    // never an empty string. Null where syscalls were not measured; the first 10,000 of a view, and how many more.
    private static void WriteOpens(Utf8JsonWriter w, TraceView view, Trace trace)
    {
        if (!trace.SyscallsMeasured)
        {
            w.WriteNull("opens");
            return;
        }
        var opens = view.Syscalls.Where(s => FileOpens.Is(s.Name)).ToList();
        w.WriteStartArray("opens");
        foreach (var o in opens.Take(MaxOpens))
        {
            w.WriteStartObject();
            w.WriteString("name", o.Name);
            w.WriteNumber("tid", o.Tid);
            w.WriteNumber("timeNs", o.EnterNs - trace.StartNs);
            WriteNullable(w, "fd", o.Finished && !o.Failed ? o.Result : null);
            w.WriteString("errno", o.ErrnoName);
            w.WriteString("path", o.OpenedPath);
            w.WriteString("pathSource", o.OpenedPath is not null ? (trace.Source == CaptureSourceKind.Perf ? "perf, from /proc/PID/fd" : CaptureNames.Of(trace.Source))
                : !o.Finished ? "none: the call had not returned when the capture stopped"
                : o.Failed ? "none: the open failed"
                : "not read: the capture did not name the fd (perf reads /proc/PID/fd when it drains the record, and the fd was closed by then)");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("opensLeftOut", Math.Max(0, opens.Count - MaxOpens));
    }

    // Present only when the cross-check was asked for; when it compared nothing, equal and differences are null, never
    // true or 0.
    private static void WriteCrossCheck(Utf8JsonWriter w, PhaseCrossCheck check)
    {
        w.WriteStartObject("phaseCrossCheck");
        w.WriteBoolean("compared", check.Compared);
        w.WriteString("reason", check.Reason);
        if (check.Compared)
        {
            w.WriteBoolean("equal", check.Equal);
            w.WriteNumber("differences", check.Differences.Count + check.FigureDifferences.Count);
        }
        else
        {
            w.WriteNull("equal");
            w.WriteNull("differences");
        }
        w.WriteStartArray("paths");
        foreach (string path in check.Paths)
        {
            w.WriteStringValue(path);
        }
        w.WriteEndArray();
        w.WriteStartArray("perEventInDefaultMode");
        foreach (string name in check.PerEventInDefaultMode)
        {
            w.WriteStringValue(name);
        }
        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var r in check.Rows)
        {
            w.WriteStartObject();
            w.WriteString("path", r.Path);
            w.WriteString("syscall", r.Syscall);
            w.WriteBoolean("equal", r.Equal);
            w.WriteNumber("fullCalls", r.FullCalls);
            w.WriteNumber("fullErrors", r.FullErrors);
            w.WriteNumber("kernelCalls", r.KernelCalls);
            w.WriteNumber("kernelErrors", r.KernelErrors);
            w.WriteNumber("fullCallsByReturn", r.FullCallsByReturn);
            WriteTids(w, r.DifferingTids);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("figures");
        foreach (var f in check.Figures)
        {
            w.WriteStartObject();
            w.WriteString("path", f.Path);
            w.WriteString("figure", f.Figure);
            w.WriteBoolean("equal", f.Equal);
            w.WriteNumber("full", f.Full);
            w.WriteNumber("kernel", f.Kernel);
            WriteTids(w, f.DifferingTids);
            w.WriteNumber("unordered", f.Unordered);
            WriteTids(w, f.UnorderedTids, "unorderedTids");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("figuresNotCompared");
        foreach (string why in check.FiguresNotCompared)
        {
            w.WriteStringValue(why);
        }
        w.WriteEndArray();
        // Side by side, never held equal (PhaseCrossCheckTime says why).
        w.WriteStartArray("onCpu");
        foreach (var t in check.OnCpu)
        {
            w.WriteStartObject();
            w.WriteString("path", t.Path);
            w.WriteNumber("fullNs", t.FullNs);
            w.WriteNumber("kernelNs", t.KernelNs);
            w.WriteNumber("openersFullNs", t.OpenersFullNs);
            w.WriteNumber("openersKernelNs", t.OpenersKernelNs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTids(Utf8JsonWriter w, IReadOnlyList<int> tids, string name = "differingTids")
    {
        w.WriteStartArray(name);
        foreach (int tid in tids)
        {
            w.WriteNumberValue(tid);
        }
        w.WriteEndArray();
    }

    private static void WriteMeasurement(Utf8JsonWriter w, string name, Measurement m)
    {
        WriteNullable(w, name, m.Value);
        w.WriteString(name + "Source", m.Source);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
