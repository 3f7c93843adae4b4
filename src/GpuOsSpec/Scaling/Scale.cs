namespace GpuOsSpec.Scaling;

/// <summary>Measures how an operation's OS footprint grows with its size.</summary>
public static class Scale
{
    /// <summary>The default sizes: 100, 1,000 and 10,000.</summary>
    public static IReadOnlyList<long> DefaultSizes { get; } = [100, 1_000, 10_000];

    /// <summary>
    /// Runs <paramref name="operation"/>(n) for each size, <paramref name="repetitions"/> times, each in its own traced
    /// phase, and returns fits of every metric against n.
    /// </summary>
    /// <param name="operation">What "one unit" is ("launch"), for messages.</param>
    /// <param name="run">Performs n units.</param>
    /// <param name="sizes">The sizes (at least two different ones).</param>
    /// <param name="repetitions">Runs per size; medians are fitted.</param>
    /// <param name="label">Added to the spec's name in artifacts.</param>
    /// <param name="options">Capture settings.</param>
    /// <param name="origins">Whose events count (default: workload and GPU-runtime threads).</param>
    /// <param name="spec">The calling test method (filled in by the compiler).</param>
    public static ScalingResult Measure(string operation, Action<long> run, IReadOnlyList<long>? sizes = null, int repetitions = 3,
        string? label = null, CaptureOptions? options = null, ThreadOrigin origins = ThreadOrigin.Default,
        [System.Runtime.CompilerServices.CallerMemberName] string spec = "")
    {
        sizes ??= DefaultSizes;
        if (sizes.Distinct().Count() < 2 || sizes.Any(s => s <= 0))
        {
            throw new ArgumentException("Scaling needs at least two different positive sizes.", nameof(sizes));
        }
        if (repetitions < 1)
        {
            throw new ArgumentException("Scaling needs at least one repetition.", nameof(repetitions));
        }
        Precompile(run);
        var cpu = new List<(long Size, double Ns)>();
        Trace trace;
        using (var scope = GpuSpec.Trace(label, options, spec: spec))
        {
            for (int r = 0; r < repetitions; r++)
            {
                foreach (long n in sizes)
                {
                    // Thread CPU time is a syscall: read it outside the phase so the phase stays clean.
                    long before = Clock.ThreadCpuNs();
                    using (scope.Phase($"n{n}-r{r}"))
                    {
                        run(n);
                    }
                    cpu.Add((n, Clock.ThreadCpuNs() - before));
                }
            }
            trace = scope.Stop();
        }
        ScalingFit Fit(string metric, Func<TraceView, double?> measure)
        {
            var samples = new List<(long Size, double Value)>();
            string? unmeasured = null;
            foreach (long n in sizes)
            {
                for (int r = 0; r < repetitions; r++)
                {
                    var view = trace.View().FromOrigins(origins).InPhase($"n{n}-r{r}");
                    if (measure(view) is { } value)
                    {
                        samples.Add((n, value));
                    }
                    else
                    {
                        unmeasured ??= $"{metric} was not measured in phase n{n}-r{r}";
                    }
                }
            }
            return Build(operation, metric, samples, trace, unmeasured);
        }
        var cpuFit = Build(operation, "CPU time (ns)", cpu.Select(c => (c.Size, c.Ns)).ToList(), trace, null);
        return new ScalingResult(operation, trace, sizes, repetitions, Fit, cpuFit);
    }

    // The operation compiles at its first call, which was in the first phase: with W^X, an mmap, an mprotect and a
    // munmap on the measuring thread, which the operation never makes. What it calls still compiles at first use;
    // generic code (and a dynamic method) would need its instantiation to be compiled ahead, so it compiles in its
    // first phase as before.
    private static void Precompile(Delegate run)
    {
        var method = run.Method;
        if (!method.IsGenericMethod && method.DeclaringType is { IsGenericType: false })
        {
            System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }

    private static ScalingFit Build(string operation, string metric, List<(long Size, double Value)> samples, Trace trace, string? unmeasured)
    {
        var medians = samples.GroupBy(s => s.Size).OrderBy(g => g.Key)
            .Select(g => (g.Key, Median.Of(g.Select(s => s.Value)))).ToList();
        var fit = medians.Count >= 2 ? LinearFit.Through(medians.Select(m => ((double)m.Key, m.Item2)).ToList()) : new LinearFit(double.NaN, double.NaN, double.NaN);
        return new ScalingFit(operation, metric, fit, medians, trace, unmeasured);
    }
}
