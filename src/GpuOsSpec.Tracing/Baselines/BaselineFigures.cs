namespace GpuOsSpec.Tracing.Baselines;

/// <summary>What a trace measures in a scope, and its figures there: the one definition a profile and a comparison
/// share.</summary>
internal static class BaselineFigures
{
    /// <summary>Every kind a trace can hold, in the order profiles list them.</summary>
    internal static IReadOnlyList<BaselineKind> Kinds { get; } = Enum.GetValues<BaselineKind>();

    /// <summary>The kinds <paramref name="trace"/> measures completely in a scope.</summary>
    internal static List<BaselineKind> Measured(Trace trace, bool whole)
    {
        var abilities = CaptureAbilities.Of(trace);
        return Kinds.Where(k => abilities.Unmeasured(whole, k) is null).ToList();
    }

    /// <summary>The view of a scope: every thread, over the whole capture or every run of the phase.</summary>
    internal static TraceView View(Trace trace, string scope) =>
        scope == BaselineProfile.Whole ? trace.AllThreads() : trace.AllThreads().InPhase(scope);

    /// <summary>The figures of <paramref name="trace"/> in <paramref name="scope"/>, per run of the scope, for the
    /// measured kinds only.</summary>
    internal static List<(BaselineKind Kind, string Name, double PerRun)> Of(Trace trace, string scope)
    {
        bool whole = scope == BaselineProfile.Whole;
        var view = View(trace, scope);
        double runs = whole ? 1 : view.PhaseRuns.Count;
        var measured = Measured(trace, whole).ToHashSet();
        var figures = new List<(BaselineKind Kind, string Name, double PerRun)>();
        void Add(BaselineKind kind, string name, double value)
        {
            if (measured.Contains(kind))
            {
                figures.Add((kind, name, value / runs));
            }
        }
        var syscalls = whole ? trace.SyscallTotals : view.SyscallTotals();
        foreach (var total in syscalls)
        {
            Add(BaselineKind.Syscall, total.Name, total.Count);
        }
        foreach (var ioctl in view.Ioctls().GroupBy(i => IoctlName(i.Name, i.Device)))
        {
            Add(BaselineKind.Ioctl, ioctl.Key, ioctl.Sum(i => i.Count));
        }
        if (measured.Contains(BaselineKind.Role))
        {
            foreach (var (role, count) in view.CountByRole())
            {
                if (count.Value is > 0 and var n)
                {
                    Add(BaselineKind.Role, GpuOsSpec.Tracing.Model.RoleNames.Of(role), n);
                }
            }
        }
        foreach (var api in view.ApiCosts())
        {
            Add(BaselineKind.ApiCalls, api.Name, api.Calls);
            if (api.Syscalls is { } inside)
            {
                Add(BaselineKind.ApiSyscalls, api.Name, inside);
            }
        }
        if (measured.Contains(BaselineKind.VoluntarySwitches) && view.VoluntarySwitches().Value is { } voluntary)
        {
            Add(BaselineKind.VoluntarySwitches, "", voluntary);
        }
        if (measured.Contains(BaselineKind.PageFaults) && view.MinorFaults().Value is { } minor && view.MajorFaults().Value is { } major)
        {
            Add(BaselineKind.PageFaults, "minor", minor);
            Add(BaselineKind.PageFaults, "major", major);
        }
        Add(BaselineKind.WallTime, "", view.OwnWallNs());
        if (measured.Contains(BaselineKind.CpuTime))
        {
            foreach (var origin in new[] { ThreadOrigin.Workload, ThreadOrigin.GpuRuntime, ThreadOrigin.DotNetRuntime, ThreadOrigin.Foreign })
            {
                if (view.FromOrigins(origin).OnCpuNs().Value is > 0 and var ns)
                {
                    Add(BaselineKind.CpuTime, origin.ToString(), ns);
                }
            }
        }
        return figures;
    }

    /// <summary>
    /// An ioctl as a profile keys it: device files by path (/dev/nvidiactl), everything else by kind, since a terminal
    /// ioctl on stdout names whatever stdout was redirected to in that run.
    /// </summary>
    internal static string IoctlName(string name, string device) =>
        $"{name} {(device.StartsWith("/dev/", StringComparison.Ordinal) && !device.StartsWith("/dev/pts/", StringComparison.Ordinal) && !device.StartsWith("/dev/tty", StringComparison.Ordinal) ? device : "(other fd)")}";
}
