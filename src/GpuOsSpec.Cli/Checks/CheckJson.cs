using System.Text.Json;

namespace GpuOsSpec.Cli.Checks;

/// <summary>A check as data (schema gpuosspec.check/1): the run, the verdict, and each rule with its settings, figure
/// and evidence. A figure that was not measured is null, never 0.</summary>
internal static class CheckJson
{
    /// <summary>The schema the JSON names.</summary>
    internal const string Schema = "gpuosspec.check/1";

    /// <summary>Writes <paramref name="report"/> about <paramref name="trace"/> to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, Trace trace, CheckReport report, string? rulesFile)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteString("target", trace.Target);
        w.WriteString("verdict", CheckText.Word(report.Verdict));
        w.WriteString("reason", report.Reason);
        w.WriteStartObject("capture");
        w.WriteString("source", CaptureNames.Of(trace.Source));
        w.WriteString("mode", CaptureNames.Of(trace.Mode));
        w.WriteStartArray("apiLibraries");
        foreach (string library in trace.ApiLibrariesProbed)
        {
            w.WriteStringValue(library);
        }
        w.WriteEndArray();
        w.WriteBoolean("markers", trace.MarkersRead);
        w.WriteEndObject();
        Nullable(w, "exitCode", trace.ExitCode);
        Nullable(w, "signal", trace.Signal);
        w.WriteString("rulesFile", rulesFile);
        w.WriteStartArray("phases");
        foreach (string path in new CheckContext(trace).PhasePaths)
        {
            w.WriteStringValue(path);
        }
        w.WriteEndArray();
        w.WriteStartArray("rules");
        foreach (var (rule, settings, result) in report.Rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("title", rule.Title);
            w.WriteString("verdict", CheckText.Word(result.Verdict));
            w.WriteString("message", result.Message);
            w.WriteNumber("threshold", settings.Threshold);
            w.WriteString("unit", rule.Unit);
            if (settings.Phases is { } phases)
            {
                w.WriteStartArray("phasesJudged");
                foreach (string p in phases)
                {
                    w.WriteStringValue(p);
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteNull("phasesJudged");
            }
            w.WriteNumber("warmupRuns", settings.WarmupRuns);
            w.WriteStartObject("parameters");
            foreach (var parameter in rule.Parameters)
            {
                w.WriteNumber(parameter.Name, settings.Parameter(parameter));
            }
            w.WriteEndObject();
            w.WriteString("scope", result.Scope);
            NullableDouble(w, "figure", result.Figure);
            NullableDouble(w, "limit", result.Limit);
            w.WriteStartArray("evidence");
            foreach (var item in result.Evidence)
            {
                w.WriteStartObject();
                w.WriteString("what", item.What);
                w.WriteNumber("count", item.Count);
                w.WriteString("scope", item.Scope);
                NullableDouble(w, "firstAtMs", item.FirstAtMs);
                Nullable(w, "tid", item.Tid);
                w.WriteString("thread", item.Thread);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("basis", rule.Basis);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter w, string name, int? value)
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

    private static void NullableDouble(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
