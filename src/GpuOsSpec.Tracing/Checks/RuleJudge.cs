using System.Globalization;

namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// Holds a figure to a threshold in every scope a rule judges and words the verdict as the plugin's assertions do:
/// "Expected phase "steady" (runs 2 to 5 of 5), workload and GPU-runtime threads to make no ioctl, but found 4 (1 per
/// warm run): TCGETS ×4 (first at +0.012 ms, tid 42 rules [Workload])."
/// </summary>
public static class RuleJudge
{
    /// <summary>
    /// Fails when any scope's figure is above <paramref name="limit"/> (showing the largest, and naming the other
    /// scopes above it); else is inconclusive when a scope's figure was not measured; else not applicable when no scope
    /// has what the rule judges; else passes.
    /// </summary>
    /// <param name="scopes">The scopes to judge (at least one).</param>
    /// <param name="measure">The figure of one scope.</param>
    /// <param name="limit">The threshold.</param>
    /// <param name="expectation">"to make no ioctl", "to make at most 2 ioctls per warm run": what a healthy scope
    /// does.</param>
    /// <param name="unit">The figure's unit, for the message of a pass.</param>
    public static RuleResult Across(IReadOnlyList<CheckScope> scopes, Func<CheckScope, ScopeFigure> measure, double limit, string expectation, string unit)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(measure);
        if (scopes.Count == 0)
        {
            throw new ArgumentException("A rule judges at least one scope.", nameof(scopes));
        }
        var figures = scopes.Select(s => (Scope: s, Figure: measure(s))).ToList();
        var over = figures.Where(f => f.Figure.Value > limit).OrderByDescending(f => f.Figure.Value).ToList();
        if (over.Count > 0)
        {
            var (scope, figure) = over[0];
            string others = over.Count > 1
                ? $" Also above it: {TraceEvidence.Joined(over.Skip(1).Select(o => $"{Name(o.Scope)} ({Number(o.Figure.Value!.Value)})"), 5)}."
                : "";
            return new RuleResult(RuleVerdict.Failed, $"Expected {scope.View.Describe()} {expectation}, but found {figure.Found}: {figure.EvidenceText}.{others}")
            {
                Scope = scope.Name, Figure = figure.Value, Limit = limit, Evidence = figure.Items,
            };
        }
        if (figures.FirstOrDefault(f => f.Figure.Unmeasured is not null) is { Scope: not null } unmeasured)
        {
            return RuleResult.Inconclusive($"{unmeasured.Scope.View.Describe()}: {unmeasured.Figure.Unmeasured}") with { Scope = unmeasured.Scope.Name, Limit = limit };
        }
        var measured = figures.Where(f => f.Figure.Value is not null).ToList();
        if (measured.Count == 0)
        {
            return RuleResult.NotApplicable(string.Join("; ", figures.Select(f => f.Figure.NotApplicable).Distinct())) with { Limit = limit };
        }
        var top = measured.MaxBy(f => f.Figure.Value)!;
        return new RuleResult(RuleVerdict.Passed,
            $"at most {Number(top.Figure.Value!.Value)} {unit} (limit {Number(limit)}) in {TraceEvidence.Joined(measured.Select(m => $"{Name(m.Scope)} ({Number(m.Figure.Value!.Value)})"), 6)}")
        {
            Scope = top.Scope.Name, Figure = top.Figure.Value, Limit = limit, Evidence = top.Figure.Items,
        };
    }

    /// <summary>A figure as messages show it: up to four significant digits, invariant.</summary>
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Name(CheckScope scope) => scope.IsWhole ? scope.Name : $"\"{scope.Name}\"";
}
