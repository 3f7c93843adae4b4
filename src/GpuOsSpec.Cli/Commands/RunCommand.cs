using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GpuOsSpec.Cli.Commands;

/// <summary>`gpuosspec run WORKLOAD --backend NAME [--set k=v ...] [--smoke] [--json FILE] [--perfetto
/// FILE]`.</summary>
internal static class RunCommand
{
    internal static Command Create()
    {
        var workload = new Argument<string>("workload") { Description = "The workload to run (see gpuosspec workloads)." };
        var backend = new Option<string>("--backend") { Description = "cuda, opencl, hip or cpu.", Required = true };
        var set = new Option<string[]>("--set") { Description = "Set a parameter: --set launches=5000 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var smoke = new Option<bool>("--smoke") { Description = "Use the small settings that finish in seconds." };
        var json = new JsonOutput("the run, per phase (schema gpuosspec.run/1)");
        var perfetto = new Option<FileInfo?>("--perfetto") { Description = "Write the trace as Chrome trace-event JSON for the Perfetto UI." };
        var device = new Option<int>("--device") { Description = "Which of the backend's devices (see gpuosspec backends).", DefaultValueFactory = _ => 0 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the run may take before it is ended as hung (exit 124).", DefaultValueFactory = _ => 300 };
        var source = SharedOptions.Source();
        var bufferPages = SharedOptions.BufferPages();
        var via = SharedOptions.Via();
        var cmd = new Command("run", "Run a catalogue workload on a backend under tracing; print each phase's syscalls by role, context switches, faults and timings.\n" +
            "Example: gpuosspec run launch-storm --backend opencl --smoke")
        {
            workload, backend, device, set, smoke, json.Option, perfetto, timeout, source, bufferPages, via,
        };
        cmd.SetAction(parse =>
        {
            var jsonTarget = json.Of(parse);
            if (OutputPaths.First(jsonTarget?.Problem("run"),
                    parse.GetValue(perfetto) is { } perfettoOut ? OutputPaths.FileProblem("run", "--perfetto", perfettoOut.FullName) : null) is { } problem)
            {
                return Usage.Refuse(problem);
            }
            try
            {
                var w = WorkloadCatalogue.Get(parse.GetValue(workload)!);
                var b = BackendRegistry.Get(parse.GetValue(backend)!);
                var settings = WorkloadSettings.Resolve(w, ParseSets(parse.GetValue(set) ?? []), parse.GetValue(smoke));
                var availability = b.Discover();
                if (!availability.Available)
                {
                    return Usage.Refuse($"gpuosspec run: the {b.Name} backend is unavailable here: {availability.Reason}. Fix: gpuosspec backends lists what this machine has.");
                }
                int deviceIndex = parse.GetValue(device);
                if (deviceIndex < 0 || deviceIndex >= availability.Devices.Count)
                {
                    return Usage.Refuse($"gpuosspec run: {b.Name} has {availability.Devices.Count} device(s) (0 to {availability.Devices.Count - 1}); --device {deviceIndex} does not exist.");
                }
                var options = new CaptureOptions
                {
                    Source = SharedOptions.ParseSource(parse.GetValue(source)),
                    BufferPages = parse.GetValue(bufferPages),
                };
                var outcome = TracedRun.Execute(w, b, settings, options, TimeSpan.FromSeconds(parse.GetValue(timeout)), progress: !Console.IsErrorRedirected, deviceIndex,
                    SharedOptions.ParseVia(parse.GetValue(via)));
                (jsonTarget?.HumanOutput ?? Console.Out).Write(Render(outcome, parse.GetValue(smoke)));
                jsonTarget?.Write(stream => WriteJson(outcome, stream, parse.GetValue(smoke)));
                if (parse.GetValue(perfetto) is { } perfettoFile)
                {
                    PerfettoExporter.Write(outcome.Trace, perfettoFile.FullName);
                    Console.Error.WriteLine($"Perfetto trace written to {perfettoFile.FullName}");
                }
                return outcome.Result.NotSupported is not null ? ExitCodes.NotSupported
                    : !outcome.Result.Succeeded ? ExitCodes.Failed
                    : outcome.Trace.IsInconclusive ? ExitCodes.Inconclusive
                    : ExitCodes.Success;
            }
            catch (Exception ex) when (ex is ArgumentException or TracerException)
            {
                return Usage.Refuse($"gpuosspec run: {ex.Message}");
            }
        });
        return cmd;
    }

    internal static Dictionary<string, string> ParseSets(IEnumerable<string> sets)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string s in sets)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || eq == s.Length - 1)
            {
                throw new ArgumentException($"--set takes NAME=VALUE, not \"{s}\".");
            }
            result[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        return result;
    }

    internal static string Render(TracedRun.Outcome outcome, bool smoke)
    {
        var r = outcome.Result;
        var t = outcome.Trace;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{r.Workload} on {r.Backend}{(r.Device is null ? "" : $" ({r.Device})")}{(r.Execution == ExecutionPath.GpuOs ? ", through gpuos" : "")}{(smoke ? ", smoke" : "")}");
        sb.AppendLine(inv, $"  settings: {string.Join(", ", r.Settings.Select(kv => $"{kv.Key}={kv.Value}"))}");
        sb.AppendLine(inv, $"  trace: {CaptureNames.Of(t.Source)} ({CaptureNames.Of(t.Mode)}), lost {t.LostEvents:N0} events; figures are for workload and GPU-runtime threads");
        foreach (var phase in r.Phases.OrderBy(p => t.Phases.FirstOrDefault(tp => tp.Path == p.Path)?.StartNs ?? long.MaxValue))
        {
            sb.AppendLine();
            string ops = string.Join(", ", phase.Operations.Select(kv => $"{kv.Value:N0} {kv.Key}"));
            string perLaunch = phase.NsPer("launches") is { } ns ? $" ({ns / 1000:F2} us per launch)" : "";
            sb.AppendLine(inv, $"  {phase.Path,-24} {phase.DurationNs / 1e6,10:F3} ms   {ops}{perLaunch}");
            if (t.Phases.Any(p => p.Path == phase.Path))
            {
                var view = t.View().InPhase(phase.Path);
                if (t.SyscallsMeasured)
                {
                    var roles = view.CountByRole().Where(kv => kv.Value.Value is not 0).OrderByDescending(kv => kv.Value.Value ?? long.MaxValue).ToList();
                    var names = view.CountByName().OrderByDescending(kv => kv.Value).Take(4).Select(kv => $"{kv.Key} {kv.Value:N0}");
                    sb.AppendLine(inv, $"    syscalls {view.SyscallCount()}{(roles.Count > 0 ? ": " + string.Join(", ", roles.Select(kv => $"{RoleNames.Of(kv.Key)} {kv.Value}")) : "")}{(roles.Count > 0 ? $"  [{string.Join(", ", names)}]" : "")}");
                    var ioctls = view.Ioctls().Take(3).ToList();
                    if (ioctls.Count > 0)
                    {
                        sb.AppendLine(inv, $"    ioctls   {string.Join(", ", ioctls.Select(i => $"{i.Name} {i.Count:N0}"))}");
                    }
                }
                else
                {
                    sb.AppendLine("    syscalls n/a (no syscall source permitted)");
                }
                sb.AppendLine(inv, $"    context switches voluntary {view.VoluntarySwitches()}, involuntary {view.InvoluntarySwitches()}; page faults minor {view.MinorFaults()}, major {view.MajorFaults()}");
            }
        }
        sb.AppendLine();
        foreach (var check in r.Checks)
        {
            sb.AppendLine(inv, $"  check {(check.Passed ? "ok    " : "FAILED")} {check.Name}: {check.Detail}");
        }
        if (r.NotSupported is not null)
        {
            sb.AppendLine(inv, $"  not supported: {r.NotSupported}");
        }
        if (r.Error is not null)
        {
            sb.AppendLine(inv, $"  FAILED in phase {r.FailedPhase ?? "(none)"}: {r.Error}");
        }
        if (t.IsInconclusive)
        {
            sb.AppendLine(inv, $"  INCONCLUSIVE: {t.InconclusiveReason}");
        }
        foreach (string note in t.Notes)
        {
            sb.AppendLine(inv, $"  note: {note}");
        }
        return sb.ToString();
    }

    internal static void WriteJson(TracedRun.Outcome outcome, Stream stream, bool smoke)
    {
        var r = outcome.Result;
        var t = outcome.Trace;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", "gpuosspec.run/1");
        w.WriteString("workload", r.Workload);
        w.WriteString("backend", r.Backend);
        w.WriteString("via", r.Execution == ExecutionPath.GpuOs ? "gpuos" : "native");
        w.WriteString("device", r.Device);
        w.WriteString("recordedAt", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteBoolean("smoke", smoke);
        w.WriteStartObject("settings");
        foreach (var (k, v) in r.Settings)
        {
            w.WriteString(k, v);
        }
        w.WriteEndObject();
        w.WriteBoolean("succeeded", r.Succeeded);
        w.WriteString("error", r.Error);
        w.WriteString("failedPhase", r.FailedPhase);
        w.WriteString("notSupported", r.NotSupported);
        w.WriteStartArray("checks");
        foreach (var c in r.Checks)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteBoolean("passed", c.Passed);
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        TraceJsonExporter.WriteCaptureSummary(w, t);
        w.WriteStartArray("phases");
        foreach (var phase in r.Phases)
        {
            w.WriteStartObject();
            w.WriteString("path", phase.Path);
            w.WriteNumber("durationNs", phase.DurationNs);
            w.WriteStartObject("operations");
            foreach (var (k, v) in phase.Operations)
            {
                w.WriteNumber(k, v);
            }
            w.WriteEndObject();
            if (phase.NsPer("launches") is { } ns)
            {
                w.WriteNumber("nsPerLaunch", Math.Round(ns, 1));
            }
            if (t.Phases.Any(p => p.Path == phase.Path))
            {
                TraceJsonExporter.WriteFigures(w, t.View().InPhase(phase.Path));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
