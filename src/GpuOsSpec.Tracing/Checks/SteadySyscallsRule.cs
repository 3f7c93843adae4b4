namespace GpuOsSpec.Tracing.Checks;

/// <summary>A rule about steady phases that counts calls of some syscalls per warm run. Derive from it for a rule of
/// your own ("a steady phase makes no fsync").</summary>
public abstract class SteadySyscallsRule : SteadyCountRule
{
    /// <summary>The syscalls counted.</summary>
    protected abstract IReadOnlyList<string> Names { get; }

    /// <inheritdoc/>
    protected override (Measurement Count, string Evidence, IReadOnlyList<EvidenceItem> Items) Count(CheckScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        long total = 0;
        foreach (string name in Names)
        {
            var calls = scope.View.Calls(name);
            if (calls.Value is not { } n)
            {
                return (calls, "", []);
            }
            total += n;
        }
        var events = scope.View.Syscalls.Where(s => Names.Contains(s.Name)).ToList();
        return (new Measurement(total, CaptureNames.Of(scope.View.Trace.Source)), TraceEvidence.TopSyscalls(scope.View, events), EvidenceItems.Syscalls(scope, events));
    }
}
