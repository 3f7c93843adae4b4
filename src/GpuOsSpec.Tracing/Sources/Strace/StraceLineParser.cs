using System.Globalization;
using System.Text.RegularExpressions;

namespace GpuOsSpec.Tracing.Sources.Strace;

/// <summary>
/// Parses `strace -f -ttt -T -y -e raw=ioctl` output line by line. Every line yields a <see cref="StraceLine"/>: odd
/// lines (signals, exits, unfinished and resumed halves) are recognised, and anything unreadable is
/// <see cref="StraceLineKind.Malformed"/>, never an exception.
/// </summary>
public static partial class StraceLineParser
{
    /// <summary>Parses one line.</summary>
    public static StraceLine Parse(string line)
    {
        var head = Head().Match(line);
        if (!head.Success)
        {
            return Malformed(line);
        }
        if (!int.TryParse(head.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int tid)
            || !TryParseTimestamp(head.Groups[2].Value, out long ns))
        {
            return Malformed(line);
        }
        string rest = head.Groups[3].Value;

        if (rest.StartsWith("--- ", StringComparison.Ordinal))
        {
            var sig = SignalName().Match(rest);
            return new StraceLine(StraceLineKind.Signal, tid, ns, sig.Success ? sig.Groups[1].Value : null, rest, null, null, null, line);
        }
        if (rest.StartsWith("+++ ", StringComparison.Ordinal))
        {
            var exit = ExitCode().Match(rest);
            long? code = exit.Success && long.TryParse(exit.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long c) ? c : null;
            return new StraceLine(StraceLineKind.Exit, tid, ns, null, rest, code, null, null, line);
        }
        if (rest.StartsWith("<... ", StringComparison.Ordinal))
        {
            var resumed = Resumed().Match(rest);
            if (!resumed.Success)
            {
                return Malformed(line);
            }
            var (result, path, duration, ok) = ParseResult(resumed.Groups[2].Value);
            return ok
                ? new StraceLine(StraceLineKind.Resumed, tid, ns, resumed.Groups[1].Value, ArgsBeforeResult(resumed.Groups[2].Value), result, path, duration, line)
                : Malformed(line);
        }
        var call = Call().Match(rest);
        if (!call.Success)
        {
            return Malformed(line);
        }
        string name = call.Groups[1].Value;
        string tail = call.Groups[2].Value;
        if (tail.EndsWith("<unfinished ...>", StringComparison.Ordinal))
        {
            return new StraceLine(StraceLineKind.Unfinished, tid, ns, name, tail[..^"<unfinished ...>".Length].TrimEnd(), null, null, null, line);
        }
        var (res, resPath, dur, parsed) = ParseResult(tail);
        return parsed
            ? new StraceLine(StraceLineKind.Complete, tid, ns, name, ArgsBeforeResult(tail), res, resPath, dur, line)
            : Malformed(line);
    }

    /// <summary>Splits an argument list at its top-level commas (outside quotes, brackets and braces).</summary>
    public static IReadOnlyList<string> SplitArguments(string arguments)
    {
        var parts = new List<string>();
        int depth = 0;
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < arguments.Length; i++)
        {
            char c = arguments[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case '(' or '[' or '{' or '<': depth++; break;
                case ')' or ']' or '}' or '>': depth = Math.Max(0, depth - 1); break;
                case ',' when depth == 0:
                    parts.Add(arguments[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        string last = arguments[start..].Trim();
        if (last.Length > 0 || parts.Count > 0)
        {
            parts.Add(last);
        }
        return parts;
    }

    /// <summary>Reads a numeric argument ("0x3", "-1", "3&lt;/dev/nvidiactl&gt;", "NULL"); null when it is not a
    /// number.</summary>
    public static ulong? Number(string argument)
    {
        string a = argument.Trim();
        // strace annotates values it cannot name: "0x47505343 /* PRIO_??? */".
        int comment = a.IndexOf(" /*", StringComparison.Ordinal);
        if (comment > 0)
        {
            a = a[..comment];
        }
        int angle = a.IndexOf('<');
        if (angle > 0)
        {
            a = a[..angle];
        }
        if (a == "NULL")
        {
            return 0;
        }
        if (a.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(a.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
        {
            return hex;
        }
        return long.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out long dec) ? unchecked((ulong)dec) : null;
    }

    /// <summary>The path in an fd argument printed by -y ("3&lt;/dev/nvidia0&gt;"), or null.</summary>
    public static string? FdPath(string argument)
    {
        var m = FdWithPath().Match(argument.Trim());
        return m.Success ? m.Groups[1].Value : null;
    }

    // strace pads short calls to a column: "getppid()       = 4986". The result follows a ")<spaces>= " whose remainder
    // reads as a result; the last such one wins. A path may hold ") = 7" itself (in the arguments or in the result's
    // "<path>"), so a separator whose remainder does not parse is skipped, not taken.
    private static (int Close, Match Result)? FindResult(string tail)
    {
        int eq = tail.LastIndexOf(" = ", StringComparison.Ordinal);
        while (eq > 0)
        {
            int close = eq;
            while (close > 0 && tail[close - 1] == ' ')
            {
                close--;
            }
            if (close > 0 && tail[close - 1] == ')')
            {
                var m = Result().Match(tail[(eq + 3)..]);
                if (m.Success)
                {
                    return (close - 1, m);
                }
            }
            eq = eq > 0 ? tail.LastIndexOf(" = ", eq - 1, StringComparison.Ordinal) : -1;
        }
        return null;
    }

    private static (long? Result, string? Path, long? DurationNs, bool Ok) ParseResult(string tail)
    {
        if (FindResult(tail) is not { } found)
        {
            return (null, null, null, false);
        }
        var m = found.Result;
        long? duration = m.Groups["dur"].Success && TryParseTimestamp(m.Groups["dur"].Value, out long d) ? d : null;
        string value = m.Groups["ret"].Value;
        if (value == "?")
        {
            return (null, null, duration, true);
        }
        long result;
        if (value.StartsWith("0x", StringComparison.Ordinal))
        {
            if (!ulong.TryParse(value.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
            {
                return (null, null, null, false);
            }
            result = unchecked((long)hex);
        }
        else if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result))
        {
            return (null, null, null, false);
        }
        if (result == -1 && m.Groups["errno"].Success && ErrnoNames.Number(m.Groups["errno"].Value) is { } errno)
        {
            result = -errno;
        }
        return (result, m.Groups["path"].Success ? m.Groups["path"].Value : null, duration, true);
    }

    private static string ArgsBeforeResult(string tail) => FindResult(tail) is { } found ? tail[..found.Close] : tail;

    private static bool TryParseTimestamp(string text, out long ns)
    {
        ns = 0;
        int dot = text.IndexOf('.');
        if (!long.TryParse(dot < 0 ? text : text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > 9_000_000_000)
        {
            return false;
        }
        long fraction = 0;
        if (dot >= 0 && !long.TryParse((text[(dot + 1)..] + "000000000")[..9], NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
        {
            return false;
        }
        ns = seconds * 1_000_000_000 + fraction;
        return true;
    }

    private static StraceLine Malformed(string line) => new(StraceLineKind.Malformed, 0, 0, null, line, null, null, null, line);

    [GeneratedRegex(@"^\s*(\d+)\s+(\d+\.\d+)\s+(.*)$")]
    private static partial Regex Head();

    [GeneratedRegex(@"^--- (SIG[A-Z0-9+-]+)")]
    private static partial Regex SignalName();

    [GeneratedRegex(@"exited with (-?\d+)")]
    private static partial Regex ExitCode();

    [GeneratedRegex(@"^<\.\.\. ([A-Za-z0-9_]+) resumed>(.*)$")]
    private static partial Regex Resumed();

    [GeneratedRegex(@"^([A-Za-z0-9_]+)\((.*)$")]
    private static partial Regex Call();

    [GeneratedRegex(@"^(?<ret>-?\d+|0x[0-9a-fA-F]+|\?)(?:<(?<path>[^>]*)>)?(?:\s+(?<errno>E[A-Z0-9_]+)(?:\s+\([^)]*\))?)?(?:\s+\([^<]*\))?(?:\s+<(?<dur>\d+\.\d+)>)?\s*$")]
    private static partial Regex Result();

    [GeneratedRegex(@"^-?\d+<(.+)>$")]
    private static partial Regex FdWithPath();
}
