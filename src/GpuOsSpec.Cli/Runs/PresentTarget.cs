namespace GpuOsSpec.Cli.Runs;

/// <summary>A backend device present on this machine, as the verbs that run over every backend (map, evaluate) see
/// it.</summary>
internal sealed record PresentTarget(IGpuBackend Backend, int Device, string Target, string Vendor, string DeviceName, string Driver)
{
    /// <summary>Every device of every backend present (or of <paramref name="only"/>), saying which backends were
    /// skipped and why.</summary>
    internal static List<PresentTarget> Discover(IReadOnlyList<string>? only, Action<string> progress)
    {
        var targets = new List<PresentTarget>();
        foreach (var backend in BackendRegistry.All.Where(b => only is null || only.Contains(b.Name)))
        {
            var found = backend.Discover();
            if (!found.Available)
            {
                progress($"{backend.Name}: skipped, {found.Reason}");
                continue;
            }
            targets.AddRange(found.Devices.Select(d =>
                new PresentTarget(backend, d.Index, new BackendTarget(backend.Name, d.Index).ToString(), VendorKey.Of(backend.Name, d.Name), d.Name, d.Driver)));
        }
        return targets;
    }

    /// <summary>The first name in <paramref name="only"/> that is no backend, as a usage error for
    /// <paramref name="verb"/>, or null.</summary>
    internal static string? Unknown(IReadOnlyList<string>? only, string verb)
    {
        try
        {
            _ = (only ?? []).Select(BackendRegistry.Get).ToList();
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"gpuosspec {verb}: {ex.Message}";
        }
    }
}
