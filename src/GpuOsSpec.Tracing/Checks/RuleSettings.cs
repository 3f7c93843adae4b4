namespace GpuOsSpec.Tracing.Checks;

/// <summary>How one rule is run: on or off, its threshold, which phases are steady, the warm-up runs left out, and
/// its parameters.</summary>
public sealed record RuleSettings
{
    /// <summary>The runs of a phase left out as warm-up when the phase ran more often than this (default 1: a loop's
    /// first step loads kernels, fills caches and starts helper threads).</summary>
    public const int DefaultWarmupRuns = 1;

    /// <summary>False to leave the rule out of the check.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The threshold, in the rule's unit.</summary>
    public required double Threshold { get; init; }

    /// <summary>
    /// The steady phases, as paths or patterns where <c>*</c> stands for any text ("train", "train/*"); null for the
    /// default, every phase whose path holds no segment named as <see cref="CheckContext.NotSteady"/> lists.
    /// </summary>
    public IReadOnlyList<string>? Phases { get; init; }

    /// <summary>Runs left out at the start of a phase that ran more often than this.</summary>
    public int WarmupRuns { get; init; } = DefaultWarmupRuns;

    /// <summary>The rule's parameters by name; a parameter missing here takes its default.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    /// <summary>The settings a rule runs with when nothing configures it.</summary>
    public static RuleSettings DefaultsOf(ICheckRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new RuleSettings { Threshold = rule.DefaultThreshold, Parameters = rule.Parameters.ToDictionary(p => p.Name, p => p.Default) };
    }

    /// <summary>The value of <paramref name="parameter"/>: set, or its default.</summary>
    public double Parameter(RuleParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Parameters.TryGetValue(parameter.Name, out double value) ? value : parameter.Default;
    }
}
