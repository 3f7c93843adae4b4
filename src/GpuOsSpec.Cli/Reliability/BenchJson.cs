using System.Text.Json;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// The bench as JSON (gpuosspec.bench/1): per storm, per variant, the samples and the figures. A figure not measured
/// is null with the reason beside it ("notRun", "notCompared"), never 0, so a script cannot read a variant that did not
/// run as one that cost nothing.
/// </summary>
internal static class BenchJson
{
    internal const string Schema = "gpuosspec.bench/1";

    internal static void Write(Stream stream, IReadOnlyList<BenchGroup> groups, IReadOnlyList<BenchFigures> figures, int rounds)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteNumber("rounds", rounds);
        w.WriteString("order", "interleaved: every variant once per round, the order turned by one each round, after a warm-up round not counted");
        w.WriteStartArray("storms");
        foreach (var group in groups)
        {
            w.WriteStartObject();
            w.WriteString("name", group.Id);
            w.WriteString("description", group.Description);
            w.WriteString("operation", group.Operation);
            w.WriteNumber("operations", group.Operations);
            w.WriteString("reference", group.Reference.Id);
            w.WriteStartArray("variants");
            foreach (var f in figures.Where(f => ReferenceEquals(f.Outcome.Group, group)))
            {
                Variant(w, f);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Variant(Utf8JsonWriter w, BenchFigures f)
    {
        w.WriteStartObject();
        w.WriteString("name", f.Outcome.Variant.Id);
        w.WriteString("label", f.Outcome.Variant.Label);
        w.WriteBoolean("run", f.NotRun is null);
        NullableString(w, "notRun", f.NotRun);
        w.WriteStartArray("samplesMs");
        foreach (var s in f.Outcome.Samples)
        {
            w.WriteNumberValue(s.Ms);
        }
        w.WriteEndArray();
        Interval(w, "timeMs", f.TimeMs);
        NullableNumber(w, "usPerOperation", f.PerOperationUs);
        Interval(w, "ratio", f.Ratio);
        Interval(w, "addedUsPerOperation", f.AddedUs);
        NullableString(w, "notCompared", f.NotCompared);
        if (f.Counts is { } c)
        {
            w.WriteStartObject("counts");
            w.WriteNumber("expected", c.Expected);
            w.WriteNumber("rounds", c.Rounds);
            w.WriteNumber("exactRounds", c.ExactRounds);
            w.WriteNumber("min", c.Min);
            w.WriteNumber("max", c.Max);
            w.WriteNumber("lost", c.Lost);
            w.WriteNumber("inconclusiveRounds", c.InconclusiveRounds);
            NullableString(w, "inconclusiveReason", c.InconclusiveReason);
            w.WriteBoolean("exact", c.Exact);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("counts");
        }
        w.WriteEndObject();
    }

    private static void Interval(Utf8JsonWriter w, string name, MedianInterval? m)
    {
        if (m is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteNumber("median", m.Median);
        w.WriteNumber("low", m.Low);
        w.WriteNumber("high", m.High);
        w.WriteNumber("coverage", m.Coverage);
        w.WriteEndObject();
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, double? value)
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

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
