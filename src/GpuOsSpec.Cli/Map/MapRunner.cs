namespace GpuOsSpec.Cli.Map;

/// <summary>Runs the catalogue over every backend present at several sizes, under tracing, and fits each metric per
/// unit.</summary>
internal static class MapRunner
{
    internal static MapModel Run(bool quick, string machineName, IReadOnlyList<string>? onlyBackends, IReadOnlyList<string>? onlyWorkloads,
        CaptureOptions options, TimeSpan timeout, ExecutionPath execution, Action<string> progress)
    {
        var targets = PresentTarget.Discover(onlyBackends, progress).Select(t =>
        {
            string target = t.Target + (execution == ExecutionPath.GpuOs ? "+gpuos" : "");
            return (t.Backend, t.Device, Info: new MapBackend($"{machineName}/{target}", target, t.Vendor, t.DeviceName, t.Driver));
        }).ToList();
        var axes = MapAxis.All.Where(a => onlyWorkloads is null || onlyWorkloads.Contains(a.Workload)).ToList();
        var cells = new List<MapCell>();
        // Repetitions at every size, so each slope has a confidence interval (two in --quick, three otherwise).
        int repetitions = quick ? 2 : 3;
        int total = axes.Sum(a => (quick ? a.Quick : a.Full).Length) * targets.Count * repetitions;
        int done = 0;
        foreach (var axis in axes)
        {
            var workload = WorkloadCatalogue.Get(axis.Workload);
            foreach (var (backend, device, info) in targets)
            {
                var points = new List<MapPoint>();
                string status = "ok";
                string? reason = null;
                foreach (long size in (quick ? axis.Quick : axis.Full).SelectMany(s => Enumerable.Repeat(s, repetitions)))
                {
                    progress($"[{++done}/{total}] {axis.Workload} on {info.Target}, {axis.Parameter}={size}");
                    if (status != "ok")
                    {
                        continue;
                    }
                    var sets = new Dictionary<string, string>(axis.Fixed) { [axis.Parameter] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    var settings = WorkloadSettings.Resolve(workload, sets, smoke: false);
                    TracedRun.Outcome outcome;
                    try
                    {
                        outcome = TracedRun.Execute(workload, backend, settings, options, timeout, progress: false, deviceIndex: device, execution: execution);
                    }
                    catch (TracerException ex)
                    {
                        (status, reason) = ("failed", ex.Message);
                        continue;
                    }
                    var r = outcome.Result;
                    if (r.NotSupported is not null)
                    {
                        (status, reason) = ("not supported", r.NotSupported);
                    }
                    else if (r.Error is not null)
                    {
                        (status, reason) = ("failed", $"in phase {r.FailedPhase}: {r.Error}");
                    }
                    else if (r.Checks.FirstOrDefault(c => !c.Passed) is { } check)
                    {
                        (status, reason) = ("failed", $"check failed: {check.Name}: {check.Detail}");
                    }
                    else if (outcome.Trace.IsInconclusive)
                    {
                        (status, reason) = ("inconclusive", outcome.Trace.InconclusiveReason);
                    }
                    else
                    {
                        points.Add(new MapPoint(size / axis.Scale, Measure(outcome.Trace, r)));
                    }
                }
                var fits = status == "ok" && points.Count >= 2
                    ? MapModel.Metrics.ToDictionary(m => m, m => Fit(points, m))
                    : new Dictionary<string, MapFit>();
                cells.Add(new MapCell(axis.Workload, info.Key, axis.Unit, status, reason, points, fits));
            }
        }
        var machine = new MapMachine(machineName, KernelRelease(), Environment.ProcessorCount, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            targets.Select(t => t.Info).ToList());
        return new MapModel(MapModel.CurrentSchema, [machine], cells, MapFindings.Of(cells));
    }

    private static Dictionary<string, double> Measure(Trace trace, WorkloadResult result)
    {
        var view = trace.View().InPhase("steady");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["syscalls"] = view.SyscallCount().Value ?? double.NaN,
        };
        foreach (var (role, count) in view.CountByRole())
        {
            metrics[RoleNames.Of(role)] = count.Value ?? double.NaN;
        }
        metrics["voluntary switches"] = view.VoluntarySwitches().Value ?? double.NaN;
        metrics["involuntary switches"] = view.InvoluntarySwitches().Value ?? double.NaN;
        metrics["minor faults"] = view.MinorFaults().Value ?? double.NaN;
        metrics["major faults"] = view.MajorFaults().Value ?? double.NaN;
        metrics["wall us"] = (result.Phases.FirstOrDefault(p => p.Path == "steady")?.DurationNs ?? 0) / 1000.0;
        return metrics;
    }

    private static MapFit Fit(List<MapPoint> points, string metric)
    {
        var xy = points.Where(p => p.Metrics.TryGetValue(metric, out double v) && !double.IsNaN(v)).Select(p => (p.Size, p.Metrics[metric])).ToList();
        if (xy.Select(p => p.Size).Distinct().Count() < 2)
        {
            return new MapFit(double.NaN, double.NaN, double.NaN);
        }
        var fit = LinearFit.Through(xy);
        var (low, high) = LinearFit.MarginalInterval(xy);
        // Through two sizes any line fits exactly: an r² of 1 there says nothing, so it is not reported.
        return new MapFit(fit.Fixed, fit.Marginal, xy.Select(p => p.Size).Distinct().Count() >= 3 ? fit.RSquared : double.NaN, low, high);
    }

    private static string KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
