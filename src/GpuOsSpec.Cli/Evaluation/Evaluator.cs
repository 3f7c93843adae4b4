using GpuOs;
using Trace = GpuOsSpec.Tracing.Model.Trace;

namespace GpuOsSpec.Cli.Evaluation;

/// <summary>One metric of one backend and wait policy, native against gpuos.</summary>
internal sealed record EvaluationCase(string Target, string Vendor, string Policy, string Metric, string Unit, MedianInterval? Native, MedianInterval? GpuOs, string Verdict, string? Note);

/// <summary>Phases inferred from OS signals alone on one backend's run, scored against its gpuos markers.</summary>
internal sealed record InferenceCase(string Target, string Vendor, string Workload, InferenceScore Score);

/// <summary>What `gpuosspec evaluate` measured, where and when.</summary>
/// <remarks><paramref name="Inference"/> is null
/// in an evaluation.json written before evaluate scored inference.</remarks>
internal sealed record EvaluationModel(string Schema, string Machine, string Kernel, string Date, string? Driver, int Repeats, bool Quick,
    IReadOnlyList<EvaluationCase> Cases, IReadOnlyList<string> Checks, IReadOnlyList<string> Notes, IReadOnlyList<InferenceCase>? Inference = null)
{
    internal const string CurrentSchema = "gpuosspec.evaluation/1";
}

/// <summary>
/// Phase 4's comparison matrix: on every backend present, a busy-wait kernel of known length and a wait, repeated,
/// natively and through gpuos, under each wait policy (sync mode spin, blocking, auto; gpuos spin, park, adaptive), a
/// launch storm natively and through gpuos, and a server loop that waits on a socket and the GPU's completions in one
/// epoll (a thread per GPU blocking natively against the completion's fd). Each configuration runs its workload several
/// times in one trace session, each run its own phase, so the medians and intervals are over runs.
/// </summary>
internal static class Evaluator
{
    private static readonly (SyncMode Sync, string Policy)[] s_policies =
    [
        (SyncMode.Spin, "spin (gpuos spin)"),
        (SyncMode.Blocking, "blocking (gpuos park)"),
        (SyncMode.Auto, "auto (gpuos adaptive)"),
    ];

    internal static EvaluationModel Run(bool quick, int repeats, IReadOnlyList<string>? onlyBackends, Action<string> progress)
    {
        var targets = PresentTarget.Discover(onlyBackends, progress);
        var notes = new List<string>();
        var cases = new List<EvaluationCase>();
        var inference = new List<InferenceCase>();
        var policies = s_policies;
        int kernelUs = quick ? 200 : 1000;
        int waits = quick ? 10 : 30;
        int total = targets.Count * (policies.Length + 2) * 2;
        int done = 0;
        foreach (var t in targets)
        {
            foreach (var (sync, policy) in policies)
            {
                var measured = new Dictionary<ExecutionPath, List<Dictionary<string, double>>>();
                foreach (var via in new[] { ExecutionPath.Native, ExecutionPath.GpuOs })
                {
                    progress($"[{++done}/{total}] {t.Target}, {policy}, {(via == ExecutionPath.GpuOs ? "gpuos" : "native")}: {repeats} x sync-mode ({waits} waits on a {kernelUs} us kernel)");
                    var (samples, trace) = Repeat(t.Backend, t.Device, WorkloadCatalogue.Get("sync-mode"), new() { ["kernel_us"] = $"{kernelUs}", ["repeats"] = $"{waits}", ["sync"] = Word(sync) }, via, repeats, "syncs", notes);
                    measured[via] = samples;
                    if (via == ExecutionPath.GpuOs && sync == SyncMode.Auto && trace.Phases.Any(p => p.Origin == Tracing.Model.PhaseOrigin.GpuOsMarkers))
                    {
                        inference.Add(new InferenceCase(t.Target, t.Vendor, "sync-mode", PhaseInference.Score(trace, TimeSpan.FromMilliseconds(1))));
                    }
                }
                cases.AddRange(Compare(t.Target, t.Vendor, policy, measured,
                [
                    ("syscalls per wait", "syscalls", "syscalls"),
                    ("voluntary switches per wait", "switches", "voluntary"),
                    ("waiter CPU per wait", "us", "cpu_us"),
                    ("wait overshoot (past the kernel's length)", "us", "overshoot_us"),
                ]));
            }
            var launch = new Dictionary<ExecutionPath, List<Dictionary<string, double>>>();
            foreach (var via in new[] { ExecutionPath.Native, ExecutionPath.GpuOs })
            {
                progress($"[{++done}/{total}] {t.Target}, launch storm, {(via == ExecutionPath.GpuOs ? "gpuos" : "native")}");
                launch[via] = Repeat(t.Backend, t.Device, WorkloadCatalogue.Get("launch-storm"), new() { ["launches"] = quick ? "1000" : "5000" }, via, repeats, "launches", notes).Samples;
            }
            cases.AddRange(Compare(t.Target, t.Vendor, "launch (one wait at the end)", launch, [("syscalls per launch", "syscalls", "syscalls")]));
            var server = new Dictionary<ExecutionPath, List<Dictionary<string, double>>>();
            foreach (var via in new[] { ExecutionPath.Native, ExecutionPath.GpuOs })
            {
                progress($"[{++done}/{total}] {t.Target}, epoll server, {(via == ExecutionPath.GpuOs ? "gpuos fd" : "native: a thread blocking for the GPU")}: {repeats} x {waits} requests");
                server[via] = Repeat(t.Backend, t.Device, new EpollServer(), new() { ["kernel_us"] = $"{kernelUs}", ["requests"] = $"{waits}" }, via, repeats,
                    "completions", notes).Samples;
            }
            cases.AddRange(Compare(t.Target, t.Vendor, ServerPolicy, server,
            [
                ("syscalls per completion", "syscalls", "syscalls"),
                ("voluntary switches per completion", "switches", "voluntary"),
                ("completion overshoot (request to reply, past the kernel's length)", "us", "overshoot_us"),
            ]));
        }
        notes.AddRange(Workloads.Backends.GpuOs.GpuOsContexts.MechanismsSeen.Select(m => $"gpuos completions seen: {m}"));
        notes.AddRange(Workloads.Backends.GpuOs.GpuOsContexts.WaitsSeen.Select(w => $"gpuos waits: {w}"));
        var checks = new List<string> { ClassHintCheck(), MarkerCost() };
        notes.AddRange(targets.Select(t => $"{t.Target}: {t.Vendor}, driver {t.Driver}"));
        return new EvaluationModel(EvaluationModel.CurrentSchema, Environment.MachineName, File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"), Tracing.Baselines.BaselineMachine.NvidiaDriver(), repeats, quick, cases, checks, notes, inference);
    }

    /// <summary>The policy label of the server case: one epoll loop, the completion's fd against a thread per
    /// GPU.</summary>
    internal const string ServerPolicy = "epoll server (gpuos fd; native: a thread per GPU blocking)";

    private static string Word(SyncMode sync) => sync switch { SyncMode.Spin => "spin", SyncMode.Blocking => "blocking", SyncMode.Yield => "yield", _ => "auto" };

    // Runs the workload `repeats` times in one trace session; each run's steady phase is named steady#i.
    private static (List<Dictionary<string, double>> Samples, Trace Trace) Repeat(IGpuBackend backend, int device, IWorkload workload, Dictionary<string, string> sets,
        ExecutionPath via, int repeats, string unit, List<string> notes)
    {
        string workloadName = workload.Name;
        var settings = WorkloadSettings.Resolve(workload, sets, smoke: false);
        var cpu = new Dictionary<int, long>();
        var results = new List<WorkloadResult>();
        Trace trace;
        // Through gpuos the runs' markers are read too: the true phases the inference limits are scored against.
        var options = new CaptureOptions { GpuOsLibrary = via == ExecutionPath.GpuOs ? MarkerProbe.Bundled() : null };
        using (var session = TraceSession.Start(options))
        {
            for (int i = 1; i <= repeats; i++)
            {
                int run = i;
                results.Add(WorkloadRunner.Run(workload, backend, settings, name =>
                {
                    var phase = session.Phase($"{name}#{run}");
                    if (name != "steady")
                    {
                        return phase;
                    }
                    long before = Clock.ThreadCpuNs();
                    return new OnDispose(() =>
                    {
                        cpu[run] = Clock.ThreadCpuNs() - before;
                        phase.Dispose();
                    });
                }, deviceIndex: device, execution: via));
            }
            trace = session.Stop();
        }
        var samples = new List<Dictionary<string, double>>();
        for (int i = 1; i <= repeats; i++)
        {
            var r = results[i - 1];
            if (r.NotSupported is not null || r.Error is not null || r.Checks.Any(c => !c.Passed))
            {
                notes.Add($"{workloadName} on {backend.Name} ({via}) run {i} left out: {r.NotSupported ?? r.Error ?? r.Checks.First(c => !c.Passed).Detail}");
                continue;
            }
            if (trace.IsInconclusive)
            {
                notes.Add($"{workloadName} on {backend.Name} ({via}): the trace is inconclusive ({trace.InconclusiveReason}); its runs are left out");
                break;
            }
            var steady = r.Phases.First(p => p.Path == "steady");
            double n = steady.Operations.GetValueOrDefault(unit);
            var view = trace.Phase($"steady#{i}");
            var sample = new Dictionary<string, double>
            {
                ["syscalls"] = (view.SyscallCount().Value ?? double.NaN) / n,
                ["voluntary"] = (view.VoluntarySwitches().Value ?? double.NaN) / n,
                ["cpu_us"] = cpu.GetValueOrDefault(i) / 1e3 / n,
            };
            if (sets.TryGetValue("kernel_us", out string? us))
            {
                sample["overshoot_us"] = steady.DurationNs / 1e3 / n - double.Parse(us, System.Globalization.CultureInfo.InvariantCulture);
            }
            samples.Add(sample);
        }
        return (samples, trace);
    }

    private static IEnumerable<EvaluationCase> Compare(string target, string vendor, string policy, Dictionary<ExecutionPath, List<Dictionary<string, double>>> measured,
        (string Metric, string Unit, string Key)[] metrics)
    {
        foreach (var (metric, unit, key) in metrics)
        {
            MedianInterval? Of(ExecutionPath via) => measured[via].Select(s => s.GetValueOrDefault(key, double.NaN)).Where(double.IsFinite).ToList() is { Count: >= 3 } v ? MedianInterval.Of(v) : null;
            var native = Of(ExecutionPath.Native);
            var gpuos = Of(ExecutionPath.GpuOs);
            string verdict = native is null || gpuos is null ? "not measured" : Verdict.Of(native, gpuos);
            yield return new EvaluationCase(target, vendor, policy, metric, unit, native, gpuos, verdict,
                native is null || gpuos is null ? "fewer than 3 conclusive runs on one side" : null);
        }
    }

    // A background phase's thread runs under SCHED_IDLE, read back from the OS.
    private static string ClassHintCheck()
    {
        if (!GpuOsLibrary.Available)
        {
            return $"class hints: not checked ({GpuOsLibrary.UnavailableReason})";
        }
        string policy = "?";
        var thread = new Thread(() =>
        {
            using (GpuOsLibrary.Phase("evaluate-background", WorkloadClass.Background))
            {
                policy = File.ReadAllLines("/proc/thread-self/sched").First(l => l.StartsWith("policy", StringComparison.Ordinal)).Split(':')[1].Trim();
            }
        });
        thread.Start();
        thread.Join();
        return $"class hints: a background phase's thread reads policy {policy} from /proc/thread-self/sched ({(policy == "5" ? "SCHED_IDLE, as specified" : "NOT SCHED_IDLE: the hint did not reach the OS")})";
    }

    // Untraced marker cost through the C# binding (a P/Invoke and the library call), median of 7 rounds.
    private static string MarkerCost()
    {
        if (!GpuOsLibrary.Available)
        {
            return "marker cost: not measured (no libgpuos)";
        }
        var rounds = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            const int n = 200_000;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                GpuOsLibrary.Mark("m");
            }
            rounds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / n);
        }
        var iv = MedianInterval.Of(rounds);
        return $"marker cost, untraced, through the C# binding: median {iv.Median:F1} ns per marker ({iv.Low:F1} to {iv.High:F1}, 7 rounds of 200,000)";
    }

    private sealed class OnDispose(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
