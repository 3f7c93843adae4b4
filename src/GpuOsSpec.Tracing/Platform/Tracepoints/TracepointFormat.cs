using System.Globalization;
using System.Text.RegularExpressions;

namespace GpuOsSpec.Tracing.Platform.Tracepoints;

/// <summary>The field layout of a tracepoint record, parsed from its tracefs "format" file.</summary>
internal sealed partial class TracepointFormat
{
    private readonly Dictionary<string, (int Offset, int Size)> _fields;

    private TracepointFormat(Dictionary<string, (int Offset, int Size)> fields) => _fields = fields;

    internal static TracepointFormat Parse(string text)
    {
        var fields = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (Match m in FieldLine().Matches(text))
        {
            string decl = m.Groups[1].Value.Trim();
            string name = FieldName().Match(decl).Groups[1].Value;
            fields[name] = (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        }
        return new TracepointFormat(fields);
    }

    /// <summary>The offset of a field.</summary>
    /// <exception cref="TracerException">When the kernel's format lacks the field.</exception>
    internal int Offset(string field) => _fields.TryGetValue(field, out var f)
        ? f.Offset
        : throw new TracerException($"This kernel's tracepoint format has no field \"{field}\"; GpuOsSpec cannot decode it.");

    internal int Size(string field) => _fields.TryGetValue(field, out var f) ? f.Size : 0;

    [GeneratedRegex(@"field:([^;]+);\s*offset:(\d+);\s*size:(\d+);")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*$")]
    private static partial Regex FieldName();
}
