using System.Text.Json;

namespace GpuOsSpec.Cli.Reports;

/// <summary>How map.json and evaluation.json are written and read.</summary>
internal static class ReportJson
{
    internal static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A figure not measured is null, never the string "NaN"; reading also takes the "NaN" of files written before.
        Converters = { new NullForNaN() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Reading: a missing field or a null where the model has none is a JsonException naming the path, not a
        // NullReferenceException later.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
