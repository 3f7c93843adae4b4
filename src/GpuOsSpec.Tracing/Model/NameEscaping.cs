using System.Globalization;
using System.Text;

namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// Makes a name (a phase path, a thread's name, a syscall, ioctl, device or API name, a command line) safe to print in
/// one row of a text table or a Markdown table: control characters (U+0000-U+001F, U+007F-U+009F) become <c>\xNN</c>
/// or <c>\uNNNN</c>, and the line and paragraph separators <c>\u2028</c> and <c>\u2029</c>, so no name splits a row or
/// starts a line of its own. Everything else is printed as it is.
/// </summary>
public static class NameEscaping
{
    /// <summary><paramref name="name"/> for one line of text.</summary>
    public static string ForText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int first = FirstToEscape(name);
        if (first < 0)
        {
            return name;
        }
        var sb = new StringBuilder(name.Length + 8).Append(name, 0, first);
        for (int i = first; i < name.Length; i++)
        {
            AppendEscaped(sb, name[i]);
        }
        return sb.ToString();
    }

    /// <summary><paramref name="name"/> for one cell of a Markdown table: as <see cref="ForText"/>, and '|' as
    /// <c>\|</c>.</summary>
    public static string ForMarkdownCell(string name) => ForText(name).Replace("|", @"\|", StringComparison.Ordinal);

    private static int FirstToEscape(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (NeedsEscape(name[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static void AppendEscaped(StringBuilder sb, char c)
    {
        if (!NeedsEscape(c))
        {
            sb.Append(c);
        }
        else if (c < 0x80)
        {
            sb.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
        }
        else
        {
            // Not \xNN: that form is a byte in a decoded marker name (MarkerName), and these are characters.
            sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
    }
}
