using System.Buffers;
using System.Globalization;
using System.Text;

namespace GpuOsSpec.Tracing.Capture.Markers;

/// <summary>
/// Decodes a marker's name bytes so that two different byte strings never become one name and no name splits a phase
/// path: valid UTF-8 is kept, except that a byte that is not UTF-8 or belongs to a control character becomes
/// <c>\xNN</c>, a '/' becomes <c>\x2F</c> and a backslash <c>\\</c>. The current libgpuos refuses every such name, so
/// this only changes what an older or foreign library sends; the escapes can be read back unambiguously.
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
        var sb = new StringBuilder(bytes.Length + 8);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status != OperationStatus.Done)
            {
                // Not UTF-8 (or cut short): this byte alone, so every other byte still decodes on its own.
                Escape(sb, bytes[..1]);
                bytes = bytes[1..];
                continue;
            }
            if (Rune.IsControl(rune) || rune.Value == '/')
            {
                Escape(sb, bytes[..consumed]);
            }
            else if (rune.Value == '\\')
            {
                sb.Append(@"\\");
            }
            else
            {
                sb.Append(rune.ToString());
            }
            bytes = bytes[consumed..];
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

    private static void Escape(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            sb.Append(@"\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
    }
}
