using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GpuOsSpec.Cli.Reports;

/// <summary>The `gpuosspec.run/1` files `run --json` writes: read and checked, rendered as Markdown tables, gathered
/// into one report.</summary>
internal static class RunReport
{
    private static readonly string[] s_roles = ["memory", "submission/control", "synchronization", "scheduling", "device/file I/O", "other"];

    /// <summary>Reads one run file's text; null with <paramref name="error"/> naming the file and what is
    /// wrong.</summary>
    internal static JsonElement? Parse(string text, string file, out string? error)
    {
        error = null;
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != "gpuosspec.run/1")
            {
                error = $"{file} is not a gpuosspec.run/1 file (its \"schema\" is {(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema", out var s) ? s.ToString() : "missing")}). Fix: pass files written by gpuosspec run --json.";
                return null;
            }
            // Render it alone first, so a file with a missing or mistyped field is named before any output.
            _ = Render([root], null);
            return root;
        }
        catch (JsonException ex)
        {
            error = $"{file} is not valid JSON: {ex.Message}";
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = $"{file} is not a valid gpuosspec.run/1 file: a field is missing or of the wrong type ({ex.Message}). Fix: pass files written by gpuosspec run --json.";
        }
        return null;
    }

    /// <summary>The runs, each as its file had it, in one document with the machine line.</summary>
    internal static void WriteJson(IReadOnlyList<JsonElement> runs, string? machine, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", "gpuosspec.report/1");
        w.WriteString("machine", machine);
        w.WriteStartArray("runs");
        foreach (var run in runs)
        {
            run.WriteTo(w);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static string Render(IReadOnlyList<JsonElement> runs, string? machine)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (machine is not null)
        {
            sb.AppendLine(inv, $"Machine: {machine}").AppendLine();
        }
        sb.AppendLine("Figures are for workload and GPU-runtime threads. Syscall columns count calls by role; `ctx sw` is voluntary/involuntary context switches, `faults` minor/major page faults; `n/a` means not measured.").AppendLine();
        foreach (var group in runs.GroupBy(r => r.GetProperty("workload").GetString()!))
        {
            sb.AppendLine(inv, $"## {group.Key}").AppendLine();
            foreach (var run in group)
            {
                var settings = string.Join(", ", run.GetProperty("settings").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
                string status = run.GetProperty("notSupported").GetString() is { } ns ? $"not supported: {ns}"
                    : run.GetProperty("error").GetString() is { } err ? $"FAILED in {run.GetProperty("failedPhase").GetString()}: {err}"
                    : run.GetProperty("succeeded").GetBoolean() ? "checks passed" : "a check FAILED";
                sb.AppendLine(inv, $"**{run.GetProperty("backend").GetString()}** on {run.GetProperty("device").GetString()} ({settings}; {run.GetProperty("source").GetString()} {run.GetProperty("mode").GetString()}, lost {run.GetProperty("lostEvents").GetInt64()}; {status})").AppendLine();
                sb.AppendLine("| phase | ms | operations | us/launch | syscalls | " + string.Join(" | ", s_roles) + " | ctx sw | faults | top ioctl |");
                sb.AppendLine("| --- | ---: | --- | ---: | ---: | " + string.Join(" | ", s_roles.Select(_ => "---:")) + " | ---: | ---: | --- |");
                foreach (var phase in run.GetProperty("phases").EnumerateArray())
                {
                    var ops = string.Join(", ", phase.GetProperty("operations").EnumerateObject().Select(p => $"{p.Value.GetInt64():N0} {p.Name}"));
                    string perLaunch = phase.TryGetProperty("nsPerLaunch", out var npl) ? (npl.GetDouble() / 1000).ToString("F2", inv) : "";
                    string roles = "", total = "n/a", switches = "n/a", faults = "n/a", ioctl = "";
                    if (phase.TryGetProperty("roles", out var r))
                    {
                        // A figure that was not measured is null (or absent) in the file and n/a here, never 0.
                        total = phase.TryGetProperty("syscallCount", out _) ? Value(phase, "syscallCount")
                            : r.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Number) && r.EnumerateObject().Any()
                                ? r.EnumerateObject().Sum(p => p.Value.GetInt64()).ToString("N0", inv) : "n/a";
                        roles = string.Join(" | ", s_roles.Select(role => Value(r, role)));
                        switches = $"{Value(phase.GetProperty("contextSwitches"), "voluntary")}/{Value(phase.GetProperty("contextSwitches"), "involuntary")}";
                        faults = $"{Value(phase.GetProperty("pageFaults"), "minor")}/{Value(phase.GetProperty("pageFaults"), "major")}";
                        if (phase.GetProperty("ioctls").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } top)
                        {
                            ioctl = $"{top.GetProperty("name").GetString()} ×{top.GetProperty("count").GetInt64()}";
                        }
                    }
                    else
                    {
                        roles = string.Join(" | ", s_roles.Select(_ => "n/a"));
                    }
                    sb.AppendLine(inv, $"| {phase.GetProperty("path").GetString()} | {phase.GetProperty("durationNs").GetInt64() / 1e6:F2} | {ops} | {perLaunch} | {total} | {roles} | {switches} | {faults} | {ioctl} |");
                }
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }

    private static string Value(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64().ToString("N0", CultureInfo.InvariantCulture) : "n/a";
}
