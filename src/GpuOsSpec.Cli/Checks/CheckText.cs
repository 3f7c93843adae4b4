using System.Globalization;
using System.Text;

namespace GpuOsSpec.Cli.Checks;

/// <summary>A check in words: the terminal's lines, the Markdown for a job summary, and each rule's details for the
/// JUnit report.</summary>
internal static class CheckText
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>"passed", "failed", "not applicable", "inconclusive".</summary>
    internal static string Word(RuleVerdict verdict) => verdict switch
    {
        RuleVerdict.Passed => "passed",
        RuleVerdict.Failed => "failed",
        RuleVerdict.NotApplicable => "not applicable",
        _ => "inconclusive",
    };

    /// <summary>"perf (full), API probes on libOpenCL.so.1, gpuos markers".</summary>
    internal static string Capture(Trace trace)
    {
        string how = trace.Source == CaptureSourceKind.Perf ? $"perf ({CaptureNames.Of(trace.Mode)})" : CaptureNames.Of(trace.Source);
        string api = trace.ApiCallsRecorded ? $", API probes on {string.Join(", ", trace.ApiLibrariesProbed)}" : ", no API probes";
        return $"{how}{api}, {(trace.MarkersRead ? "gpuos markers read" : "no gpuos markers")}";
    }

    /// <summary>The check as the terminal shows it: the verdict, then one line per rule and the evidence of a
    /// failure.</summary>
    internal static string Render(Trace trace, CheckReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine(s_inv, $"gpuosspec check: {Headline(report)}");
        sb.AppendLine(s_inv, $"target   {trace.Target}");
        sb.AppendLine(s_inv, $"capture  {Capture(trace)}; exit code {trace.ExitCode?.ToString(s_inv) ?? "none"}");
        sb.AppendLine(s_inv, $"phases   {(trace.Phases.Count == 0 ? "none (rules about steady phases do not apply)" : string.Join(", ", new CheckContext(trace).PhasePaths))}");
        if (report.Reason is { } reason)
        {
            sb.AppendLine(s_inv, $"reason   {reason}");
        }
        sb.AppendLine();
        int width = report.Rules.Count == 0 ? 0 : report.Rules.Max(r => r.Rule.Id.Length);
        foreach (var outcome in report.Rules)
        {
            var result = outcome.Result;
            string word = result.Verdict == RuleVerdict.Failed ? "FAILED" : Word(result.Verdict);
            sb.AppendLine(s_inv, $"  {word,-14}  {outcome.Rule.Id.PadRight(width)}  {outcome.Rule.Title}");
            sb.AppendLine(s_inv, $"  {"",-14}  {"".PadRight(width)}  {result.Message}");
        }
        return sb.ToString();
    }

    /// <summary>The check as Markdown (for $GITHUB_STEP_SUMMARY): the verdict and a table of the rules.</summary>
    internal static string Markdown(Trace trace, CheckReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine(s_inv, $"### gpuosspec check: {Headline(report)}");
        sb.AppendLine();
        sb.AppendLine(s_inv, $"Command: `{trace.Target}`, captured with {Capture(trace)}; exit code {trace.ExitCode?.ToString(s_inv) ?? "none"}.");
        if (report.Reason is { } reason)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"Inconclusive: {Cell(reason)}.");
        }
        sb.AppendLine();
        sb.AppendLine("| rule | verdict | figure | limit | where | details |");
        sb.AppendLine("| --- | --- | ---: | ---: | --- | --- |");
        foreach (var outcome in report.Rules)
        {
            var r = outcome.Result;
            string verdict = r.Verdict == RuleVerdict.Failed ? "**FAILED**" : Word(r.Verdict);
            sb.AppendLine(s_inv, $"| `{outcome.Rule.Id}` | {verdict} | {(r.Figure is { } f ? RuleJudge.Number(f) : "")} | {(r.Limit is { } l ? RuleJudge.Number(l) : "")} | {Cell(r.Scope ?? "")} | {Cell(r.Message)} |");
        }
        return sb.ToString();
    }

    /// <summary>A rule's settings, figure, evidence and basis, one per line.</summary>
    internal static string Details(RuleOutcome outcome)
    {
        var (rule, settings, result) = outcome;
        var sb = new StringBuilder();
        sb.AppendLine(s_inv, $"rule: {rule.Id} ({rule.Title})");
        sb.AppendLine(s_inv, $"verdict: {Word(result.Verdict)}");
        sb.AppendLine(s_inv, $"threshold: {RuleJudge.Number(settings.Threshold)} {rule.Unit}");
        sb.AppendLine(s_inv, $"figure: {(result.Figure is { } f ? RuleJudge.Number(f) : "not measured")}{(result.Scope is { } s ? $" in {s}" : "")}");
        sb.AppendLine(s_inv, $"phases: {(settings.Phases is { } p ? string.Join(", ", p) : $"every phase but {string.Join(", ", CheckContext.NotSteady)}")}, warm-up runs left out: {settings.WarmupRuns}");
        foreach (var parameter in rule.Parameters)
        {
            sb.AppendLine(s_inv, $"{parameter.Name}: {RuleJudge.Number(settings.Parameter(parameter))} ({parameter.Description})");
        }
        foreach (var item in result.Evidence)
        {
            string first = item.FirstAtMs is { } at ? string.Create(s_inv, $", first at +{at:F3} ms") : "";
            string thread = item.Tid is { } tid ? $" on tid {tid}{(item.Thread is { } t ? $" {t}" : "")}" : "";
            sb.AppendLine(s_inv, $"evidence: {item.What} ×{item.Count:N0} in {item.Scope}{first}{thread}");
        }
        sb.Append(s_inv, $"basis: {rule.Basis}");
        return sb.ToString();
    }

    private static string Headline(CheckReport report)
    {
        int failed = report.Count(RuleVerdict.Failed), passed = report.Count(RuleVerdict.Passed),
            unjudged = report.Count(RuleVerdict.Inconclusive), na = report.Count(RuleVerdict.NotApplicable);
        string counts = $"{passed} passed, {failed} failed, {unjudged} inconclusive, {na} not applicable, of {report.Rules.Count} rules";
        return report.Verdict switch
        {
            RuleVerdict.Passed => $"PASSED ({counts})",
            RuleVerdict.Failed => $"FAILED ({counts})",
            _ => $"INCONCLUSIVE ({counts})",
        };
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
