namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Sums what one in-kernel counter (the phase counter, the API counter) lost, each loss with its note under the
/// counter's name: both read per-CPU loss stats, the runs the kernel skipped and records they could not read, and any
/// of these makes the trace inconclusive.
/// </summary>
/// <param name="counter">The counter's name as the notes begin with it.</param>
internal sealed class CounterLossTally(string counter)
{
    internal long Lost { get; private set; }

    internal List<string> Notes { get; } = [];

    /// <summary>Counts <paramref name="count"/> lost with <paramref name="note"/>; nothing when it is not above
    /// 0.</summary>
    internal void Add(long count, string note)
    {
        if (count <= 0)
        {
            return;
        }
        Lost += count;
        Notes.Add($"{counter}: {note}");
    }

    /// <summary>Each loss stat of <paramref name="stats"/> (index: per-CPU sum) named in
    /// <paramref name="lossStats"/>.</summary>
    internal void AddStats(IReadOnlyDictionary<int, long> stats, IEnumerable<(int Index, string Meaning)> lossStats)
    {
        foreach (var (index, meaning) in lossStats)
        {
            long sum = stats.GetValueOrDefault(index);
            Add(sum, $"{sum:N0} {meaning}; they are counted as lost.");
        }
    }

    /// <summary>The program runs the kernel skipped (recursion_misses), each <paramref name="eachRun"/> not counted, or
    /// why they could not be read (then 1 lost: the counts cannot be known exact).</summary>
    internal void AddSkippedRuns(long recursionMisses, string? missesUnread, string eachRun)
    {
        Add(recursionMisses, $"the kernel skipped {recursionMisses:N0} run(s) of its programs (recursion_misses: the program was already running on that CPU), each {eachRun} not counted; they are counted as lost.");
        if (missesUnread is not null)
        {
            Add(1, $"the runs the kernel skipped could not be read ({missesUnread}), so the counts cannot be known exact; this is counted as 1 lost.");
        }
    }
}
