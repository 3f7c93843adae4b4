namespace GpuOsSpec.Requirements;

/// <summary>What a spec needs: a backend, a number of its devices, capture sources.</summary>
/// <param name="Backend">cuda, opencl, hip or cpu; null for none.</param>
/// <param name="MinDevices">Devices the backend must have.</param>
/// <param name="Sources">Capture sources that must be permitted.</param>
public sealed record GpuRequirements(string? Backend, int MinDevices, IReadOnlyList<CaptureSourceKind> Sources)
{
    /// <summary>Nothing.</summary>
    public static GpuRequirements None { get; } = new(null, 0, []);

    /// <summary>The first unmet requirement as (item, reason), or null when all are met.</summary>
    /// <param name="discover">Finds a backend (replaceable in tests).</param>
    /// <param name="checkSource">Checks a capture source (replaceable in tests).</param>
    public (string Item, string Reason)? FirstMissing(Func<string, BackendAvailability>? discover = null, Func<CaptureSourceKind, CapabilityCheck>? checkSource = null)
    {
        discover ??= Discovery;
        checkSource ??= SourceCheck;
        if (Backend is not null)
        {
            if (!BackendRegistry.Names.Contains(Backend))
            {
                return (Backend, $"the spec asks for an unknown backend \"{Backend}\"; valid backends: {string.Join(", ", BackendRegistry.Names)}");
            }
            var found = discover(Backend);
            if (!found.Available)
            {
                return (Backend, $"{Backend} is unavailable: {found.Reason}");
            }
            if (found.Devices.Count < MinDevices)
            {
                return (Backend, $"{Backend} has {found.Devices.Count} device(s); the spec needs {MinDevices}");
            }
        }
        foreach (var source in Sources)
        {
            if (source == CaptureSourceKind.Auto)
            {
                return ("auto", "Sources lists Auto, which is a choice, not a source; name Perf, Strace or Proc");
            }
            var check = checkSource(source);
            if (!check.Available)
            {
                string name = GpuOsSpec.Tracing.Model.CaptureNames.Of(source);
                return (name, $"the {name} capture source is unavailable: {check.Missing}. Fix: {check.Fix}");
            }
        }
        return null;
    }

    /// <summary>How backends are found; tests replace it to stand in for a machine they are not on.</summary>
    internal static Func<string, BackendAvailability> Discovery { get; set; } = name => Threads.RuntimeThreads.Observe(() => BackendRegistry.Get(name).Discover());

    /// <summary>How capture sources are checked; replaceable like <see cref="Discovery"/>.</summary>
    internal static Func<CaptureSourceKind, CapabilityCheck> SourceCheck { get; set; } = SourceSelector.Check;

    /// <summary>Whether an unknown backend name is a spec error (always fails) rather than a missing
    /// capability.</summary>
    public bool IsSpecError => Backend is not null && !BackendRegistry.Names.Contains(Backend);

}
