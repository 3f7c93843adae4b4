using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuOsSpec.Cli.Reports;

/// <summary>
/// A figure that was not measured or cannot be fitted is written as JSON null, never as the string "NaN" (which a
/// JSON reader in another language takes for text). Reading accepts null, and the "NaN" of maps written before.
/// </summary>
internal sealed class NullForNaN : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String when reader.GetString() is "NaN" or "Infinity" or "-Infinity" => double.NaN,
        JsonTokenType.Number => reader.GetDouble(),
        _ => throw new JsonException($"Expected a number or null, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
