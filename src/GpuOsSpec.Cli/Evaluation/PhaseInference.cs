namespace GpuOsSpec.Cli.Evaluation;

/// <summary>How well phases inferred from OS-visible signals alone match the phases a program marked.</summary>
/// <param name="TrueBoundaries">Phase starts and ends the markers gave (one thread's top-level phases).</param>
/// <param name="InferredBoundaries">Boundaries the inference found.</param>
/// <param name="MedianBoundaryErrorNs">Median
/// distance from a true boundary to the nearest inferred one, or null when none was inferred.</param>
/// <param name="RightPhaseShare">Share of the syscalls inside marked phases that an inferred segment put in their own
/// phase (0 to 1), or null when none.</param>
/// <param name="Syscalls">Syscalls scored.</param>
/// <param name="TrivialShare">The share a guess with no boundary at all gets (every syscall in the most common phase):
/// the floor to beat.</param>
internal sealed record InferenceScore(int TrueBoundaries, int InferredBoundaries, long? MedianBoundaryErrorNs, double? RightPhaseShare, long Syscalls, double? TrivialShare);

/// <summary>
/// A baseline for Phase 2's question, how far phases can be told from OS-visible signals alone: the capture is cut into
/// bins, each bin described by its syscalls per role, context switches and faults; a boundary is placed where the mix
/// changes (an L1 distance between neighbouring bins' shares above a threshold) or where activity starts or stops.
/// The markers are used only to score it.
/// </summary>
internal static class PhaseInference
{
    /// <summary>Infers boundaries in <paramref name="trace"/> and scores them against its marked top-level
    /// phases.</summary>
    /// <param name="trace">A trace with gpuos marker phases.</param>
    /// <param name="bin">The bin width
    /// (1 ms suits phases of tens of milliseconds).</param>
    /// <param name="threshold">The L1 distance (0 to 2) between
    /// neighbouring bins' role shares that makes a boundary.</param>
    internal static InferenceScore Score(Trace trace, TimeSpan bin, double threshold = 0.8)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var truth = trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers && !p.Path.Contains('/')).OrderBy(p => p.StartNs).ToList();
        var trueBoundaries = truth.SelectMany(p => new[] { p.StartNs, p.EndNs }).Distinct().Order().ToList();
        long width = Math.Max(1, (long)bin.TotalNanoseconds);
        long start = trace.StartNs;
        int bins = (int)Math.Max(1, (trace.EndNs - trace.StartNs) / width + 1);
        int roles = Enum.GetValues<SyscallRole>().Length;
        var features = new double[bins, roles + 2];
        foreach (var s in trace.Syscalls)
        {
            features[Bin(s.EnterNs), (int)s.Role]++;
        }
        foreach (var c in trace.ContextSwitches)
        {
            features[Bin(c.TimeNs), roles]++;
        }
        foreach (var f in trace.PageFaults)
        {
            features[Bin(f.TimeNs), roles + 1]++;
        }
        int Bin(long t) => (int)Math.Clamp((t - start) / width, 0, bins - 1);

        var inferred = new List<long>();
        for (int b = 1; b < bins; b++)
        {
            double before = Total(b - 1), after = Total(b);
            bool activity = (before == 0) != (after == 0);
            double distance = 0;
            if (before > 0 && after > 0)
            {
                for (int k = 0; k < roles + 2; k++)
                {
                    distance += Math.Abs(features[b - 1, k] / before - features[b, k] / after);
                }
            }
            if (activity || distance > threshold)
            {
                inferred.Add(start + b * width);
            }
        }
        double Total(int b)
        {
            double sum = 0;
            for (int k = 0; k < roles + 2; k++)
            {
                sum += features[b, k];
            }
            return sum;
        }

        long? medianError = null;
        if (trueBoundaries.Count > 0 && inferred.Count > 0)
        {
            var errors = trueBoundaries.Select(t => inferred.Min(i => Math.Abs(i - t))).Order().ToList();
            medianError = errors[errors.Count / 2];
        }
        // Segments between inferred boundaries, each labelled with the marked phase most of its syscalls fell in.
        var cuts = inferred.Prepend(long.MinValue).Append(long.MaxValue).ToList();
        int Segment(long t)
        {
            int i = cuts.BinarySearch(t);
            return i >= 0 ? i : ~i - 1;
        }
        string? TrueLabel(long t) => truth.FirstOrDefault(p => p.Contains(t))?.Name;
        var labelled = trace.Syscalls.Select(s => (Segment: Segment(s.EnterNs), Label: TrueLabel(s.EnterNs))).Where(x => x.Label is not null).ToList();
        var majority = labelled.GroupBy(x => x.Segment).ToDictionary(g => g.Key, g => g.GroupBy(x => x.Label).OrderByDescending(l => l.Count()).First().Key);
        double? share = labelled.Count == 0 ? null : labelled.Count(x => majority[x.Segment] == x.Label) / (double)labelled.Count;
        double? trivial = labelled.Count == 0 ? null : labelled.GroupBy(x => x.Label).Max(g => g.Count()) / (double)labelled.Count;
        return new InferenceScore(trueBoundaries.Count, inferred.Count, medianError, share, labelled.Count, trivial);
    }
}
