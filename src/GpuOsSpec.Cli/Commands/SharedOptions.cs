using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>Options several verbs share.</summary>
internal static partial class SharedOptions
{
    internal static Option<string> Source()
    {
        var o = new Option<string>("--source")
        {
            Description = "Capture source: auto (most precise permitted), perf, strace or proc (counters only).",
            DefaultValueFactory = _ => "auto",
        };
        o.AcceptOnlyFromAmong("auto", "perf", "strace", "proc");
        return o;
    }

    internal static Option<string> Via()
    {
        var o = new Option<string>("--via")
        {
            Description = "native (the vendor's own waits) or gpuos (each phase a gpuos phase, every host wait through a gpuos completion; needs libgpuos).",
            DefaultValueFactory = _ => "native",
        };
        o.AcceptOnlyFromAmong("native", "gpuos");
        return o;
    }

    internal static Workloads.Catalogue.ExecutionPath ParseVia(string? via) =>
        via == "gpuos" ? Workloads.Catalogue.ExecutionPath.GpuOs : Workloads.Catalogue.ExecutionPath.Native;

    internal static Option<string?> Mode()
    {
        var o = new Option<string?>("--mode")
        {
            Description = "perf mode: hybrid (decode-relevant syscalls per event, the rest counted in the kernel; default for commands) or full (every syscall per event).",
        };
        o.AcceptOnlyFromAmong("hybrid", "full");
        return o;
    }

    internal static Option<int?> BufferPages()
    {
        var o = new Option<int?>("--buffer-pages")
        {
            Description = "Pages (4 KiB) per CPU ring buffer, a power of two (default 2048 hybrid, 16384 full). Raise it when events are lost.",
        };
        o.Validators.Add(r =>
        {
            int? value = r.GetValueOrDefault<int?>();
            if (value is { } v && (v < 1 || (v & (v - 1)) != 0 || v > 1 << 20))
            {
                r.AddError($"--buffer-pages must be a power of two from 1 to 1048576, not {v}.");
            }
        });
        return o;
    }

    /// <summary>
    /// A non-negative decimal number in the invariant form (digits, at most one '.', no sign, no exponent), parsed
    /// strictly: NaN, infinities and "1,5" (15 in one locale, 1.5 in another) are usage errors, not numbers.
    /// </summary>
    internal static Option<double> Decimal(string name, string description, double defaultValue)
    {
        var o = new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                if (result.Tokens.Count != 1 || !StrictDecimal().IsMatch(token)
                    || !double.TryParse(token, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out double value)
                    || !double.IsFinite(value))
                {
                    result.AddError($"{name} takes a number of at least 0 written with digits and at most one '.' (e.g. 10 or 2.5), not \"{token}\".");
                    return 0;
                }
                return value;
            },
        };
        return o;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex StrictDecimal();

    internal static CaptureSourceKind ParseSource(string? value) => value switch
    {
        "perf" => CaptureSourceKind.Perf,
        "strace" => CaptureSourceKind.Strace,
        "proc" => CaptureSourceKind.Proc,
        _ => CaptureSourceKind.Auto,
    };

    internal static PerfMode? ParseMode(string? value) => value switch
    {
        "hybrid" => PerfMode.Hybrid,
        "full" => PerfMode.Full,
        _ => null,
    };
}
