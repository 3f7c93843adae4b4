using System.Buffers;
using System.Globalization;
using System.Text;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Decodes a marker's name bytes so that two different byte strings never become one name and no name splits a phase
/// path: valid UTF-8 is kept, except that a byte that is not UTF-8 or belongs to a control character becomes
/// <c>\xNN</c> and a '/' becomes <c>\x2F</c>. A backslash is kept as it is unless what follows it could be read as part
/// of an escape ('x', a backslash, or an escape): then it is doubled. So every name decodes back to its bytes
/// unambiguously, and a name the current libgpuos takes (it refuses all of the above) decodes as it is, unless it holds
/// a backslash followed by 'x' or another backslash.
/// </summary>
internal static class MarkerName
{
    /// <summary>The name <paramref name="bytes"/> (without its NUL) spell.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (IsPlain(bytes))
        {
            return Encoding.ASCII.GetString(bytes);
        }
        // Each unit is a character as it is, or an escape; a backslash is decided once its follower is known.
        var units = new List<(string Text, bool Escape)>(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status != OperationStatus.Done)
            {
                // Not UTF-8 (or cut short): this byte alone, so every other byte still decodes on its own.
                units.Add((Escaped(bytes[..1]), true));
                bytes = bytes[1..];
                continue;
            }
            units.Add(Rune.IsControl(rune) || rune.Value == '/' ? (Escaped(bytes[..consumed]), true) : (rune.ToString(), false));
            bytes = bytes[consumed..];
        }
        var sb = new StringBuilder(units.Count + 8);
        for (int i = 0; i < units.Count; i++)
        {
            sb.Append(units[i].Text);
            if (!units[i].Escape && units[i].Text == "\\" && i + 1 < units.Count
                && (units[i + 1].Escape || units[i + 1].Text is "x" or "\\"))
            {
                sb.Append('\\');
            }
        }
        return sb.ToString();
    }

    // Printable ASCII without '/' and '\': the names every current library sends, decoded without a builder.
    private static bool IsPlain(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x20 || b >= 0x7F || b == '/' || b == '\\')
            {
                return false;
            }
        }
        return true;
    }

    private static string Escaped(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(4 * bytes.Length);
        foreach (byte b in bytes)
        {
            sb.Append(@"\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
