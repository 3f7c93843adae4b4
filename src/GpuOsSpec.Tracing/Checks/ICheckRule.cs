namespace GpuOsSpec.Tracing.Checks;

/// <summary>
/// A rule `gpuosspec check` holds a traced program to: a plain verdict over the trace's views, with its evidence.
/// Implement it in your own assembly (referencing the GpuOsSpec.Tracing package) and pass the assembly with
/// <c>--rules-assembly</c>: every public, non-abstract class with a public parameterless constructor that implements
/// it becomes a rule, configured by the rules file like the built-in ones. A spec holds a trace to the same rules with
/// <c>Should().PassRule(rule)</c>.
/// </summary>
public interface ICheckRule
{
    /// <summary>Its unique name, lower case with dashes ("steady-no-ioctl"): the rules file's key and the JUnit
    /// test case's name.</summary>
    string Id { get; }

    /// <summary>What a healthy program does, as a sentence ("A steady phase makes no ioctl").</summary>
    string Title { get; }

    /// <summary>Where the rule comes from: the hypothesis or the finding on real hardware that says so.</summary>
    string Basis { get; }

    /// <summary>The threshold when the rules file sets none, in <see cref="Unit"/>.</summary>
    double DefaultThreshold { get; }

    /// <summary>What the threshold counts ("ioctls per warm run of a steady phase").</summary>
    string Unit { get; }

    /// <summary>What the capture must record for the rule to judge.</summary>
    CheckNeeds Needs { get; }

    /// <summary>Settings beyond the threshold that a rules file may set (none by default).</summary>
    IReadOnlyList<RuleParameter> Parameters => [];

    /// <summary>
    /// Judges the trace of <paramref name="context"/> with <paramref name="settings"/>. A figure that was not
    /// measured is <see cref="RuleVerdict.Inconclusive"/> and a premise the run lacks
    /// <see cref="RuleVerdict.NotApplicable"/>, each with the reason: never a pass on nothing.
    /// </summary>
    RuleResult Evaluate(CheckContext context, RuleSettings settings);
}
