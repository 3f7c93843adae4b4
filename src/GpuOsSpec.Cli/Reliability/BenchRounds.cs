using System.ComponentModel;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// Runs every variant of every storm once per round, for several rounds. On a shared machine other work comes and goes
/// over minutes, so blocks of runs of one variant each see a different machine and their ratios mean little; a round
/// holds one run of each, close in time, and each traced run is compared with the untraced run of its own round. The
/// order within a round turns by one each round, so no variant always runs first (after an idle pause) or last. A
/// warm-up round comes first and is not counted: the first capture of a process compiles the tracing code and loads
/// the eBPF object, which a 0-call baseline run would take for startup and subtract from the storm.
/// </summary>
internal static class BenchRounds
{
    /// <summary>The outcomes, one per variant in the groups' order.</summary>
    /// <param name="groups">The storms and their variants.</param>
    /// <param name="rounds">Rounds to run (positive).</param>
    /// <param name="progress">Told after each round, for a line on stderr.</param>
    internal static IReadOnlyList<BenchOutcome> Run(IReadOnlyList<BenchGroup> groups, int rounds, Action<string> progress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var outcomes = groups.SelectMany(g => g.Variants.Select(v => new BenchOutcome(g, v))).ToList();
        foreach (var outcome in outcomes.Where(o => o.NotRun is null))
        {
            Measure(outcome, round: -1);
        }
        progress("warm-up round done (not counted)");
        for (int round = 0; round < rounds; round++)
        {
            var live = outcomes.Where(o => o.NotRun is null).ToList();
            if (live.Count == 0)
            {
                break;
            }
            for (int i = 0; i < live.Count; i++)
            {
                Measure(live[(i + round) % live.Count], round);
            }
            progress($"round {round + 1}/{rounds} done");
        }
        return outcomes;
    }

    // Round -1 is the warm-up: its sample is dropped, its failure kept.
    private static void Measure(BenchOutcome outcome, int round)
    {
        // The previous variant's trace (a full-mode one holds millions of events) is collected here, not inside the
        // next variant's timing.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            var sample = outcome.Variant.Measure();
            if (round >= 0)
            {
                outcome.Add(sample);
            }
        }
        catch (Win32Exception ex)
        {
            outcome.Fail(outcome.Variant.Tool is { } tool ? $"{tool} is not installed" : ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string first = ex.Message.Split('\n', 2)[0].Trim();
            outcome.Fail(round < 0 ? first : $"failed in round {round + 1}: {first}");
        }
    }
}
