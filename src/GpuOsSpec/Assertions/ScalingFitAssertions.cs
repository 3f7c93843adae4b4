using System.Globalization;
using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace GpuOsSpec.Assertions;

/// <summary>Assertions on a scaling fit: the marginal cost per unit, and the fixed cost.</summary>
[System.Diagnostics.DebuggerNonUserCode]
public sealed class ScalingFitAssertions : ReferenceTypeAssertions<ScalingFit, ScalingFitAssertions>
{
    /// <summary>Creates assertions on <paramref name="fit"/>.</summary>
    public ScalingFitAssertions(ScalingFit fit) : base(fit)
    {
    }

    /// <inheritdoc/>
    protected override string Identifier => "scaling";

    /// <summary>Asserts the cost per unit is at most <paramref name="max"/>.</summary>
    public AndConstraint<ScalingFitAssertions> HaveMarginalCostAtMost(double max, string because = "", params object[] becauseArgs) =>
        Bound("marginal", Subject.Marginal, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts the cost per unit is at least <paramref name="min"/>.</summary>
    public AndConstraint<ScalingFitAssertions> HaveMarginalCostAtLeast(double min, string because = "", params object[] becauseArgs) =>
        Bound("marginal", Subject.Marginal, min, atMost: false, because, becauseArgs);

    /// <summary>Asserts the fixed cost is at most <paramref name="max"/>.</summary>
    public AndConstraint<ScalingFitAssertions> HaveFixedCostAtMost(double max, string because = "", params object[] becauseArgs) =>
        Bound("fixed", Subject.Fixed, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts the fixed cost is at least <paramref name="min"/>.</summary>
    public AndConstraint<ScalingFitAssertions> HaveFixedCostAtLeast(double min, string because = "", params object[] becauseArgs) =>
        Bound("fixed", Subject.Fixed, min, atMost: false, because, becauseArgs);

    private AndConstraint<ScalingFitAssertions> Bound(string which, double value, double bound, bool atMost, string because, object[] becauseArgs)
    {
        if (double.IsNaN(bound))
        {
            throw new ArgumentException("The bound is NaN; give a number.", atMost ? "max" : "min");
        }
        var inv = CultureInfo.InvariantCulture;
        string expectation = string.Create(inv, $"to have a {which} cost of {(atMost ? "at most" : "at least")} {bound:G4} {Subject.Metric} per {Subject.Operation}");
        string where = Reports.ResultsFolder.ArtifactsOf(Subject.Trace) is { } a ? $" Trace: {a.TraceJson}." : "";
        string? why = Subject.Trace.InconclusiveReason ?? Subject.Unmeasured;
        if (why is not null)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs)
                .FailWith("Expected {context:scaling} {0}{reason}, but the result is inconclusive: {1}.{2}", Evidence.Text(expectation), Evidence.Text(why), Evidence.Text(where));
        }
        else
        {
            bool ok = atMost ? value <= bound : value >= bound;
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
                .FailWith("Expected {context:scaling} {0}{reason}, but found {1} ({2}).{3}",
                    Evidence.Text(expectation), Evidence.Text(value.ToString("G4", inv)), Evidence.Text(Subject.ToString()), Evidence.Text(where));
        }
        return new AndConstraint<ScalingFitAssertions>(this);
    }
}
