using System.Globalization;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// The bench's figures as Markdown tables, one per storm, that a reader can paste into an issue or a document as they
/// are. A variant not run has dashes and the reason, never a 0.
/// </summary>
internal static class BenchTable
{
    private const string None = "—";

    /// <summary>Writes the heading and a table per group.</summary>
    internal static void Write(TextWriter w, IReadOnlyList<BenchGroup> groups, IReadOnlyList<BenchFigures> figures, int rounds)
    {
        var coverage = MedianInterval.Of(Enumerable.Range(0, rounds).Select(i => (double)i).ToList()).Coverage;
        w.WriteLine(Invariant($"{rounds} rounds, each running every variant once (the order turns by one each round), after a warm-up round not counted. Times: medians with their {coverage:P1} interval (order statistics)."));
        w.WriteLine("Ratio and added cost: medians of each round's own, against the untraced run of that round, with their intervals.");
        foreach (var group in groups)
        {
            w.WriteLine();
            w.WriteLine(group.Description);
            w.WriteLine();
            w.WriteLine($"| variant | median ms (interval) | µs/{group.Operation} | ratio (interval) | added µs/{group.Operation} (interval) | notes |");
            w.WriteLine("|---|---:|---:|---:|---:|---|");
            foreach (var f in figures.Where(f => ReferenceEquals(f.Outcome.Group, group)))
            {
                w.WriteLine(Row(f, group));
            }
        }
    }

    private static string Row(BenchFigures f, BenchGroup group)
    {
        string label = f.Outcome.Variant.Label;
        if (f.NotRun is not null)
        {
            return $"| {label} | {None} | {None} | {None} | {None} | not run: {f.NotRun} |";
        }
        var t = f.TimeMs!;
        string time = Invariant($"{t.Median:F1} ({t.Low:F1}–{t.High:F1})");
        string ratio = f.Ratio is { } r ? Invariant($"{r.Median:F2}x ({r.Low:F2}–{r.High:F2})") : None;
        string added = f.AddedUs is { } a ? Invariant($"{a.Median:F3} ({a.Low:F3}–{a.High:F3})") : None;
        var notes = new List<string>();
        if (f.Counts is { } c)
        {
            notes.Add(Counts(c, group.Counted));
        }
        if (t.Low <= 0)
        {
            // A subtracted startup that varies more than the storm lasts: the figures are noise, and say so.
            notes.Add("startup noise swamps the storm in some round (a time of 0 or less): raise --calls");
        }
        if (f.NotCompared is not null)
        {
            notes.Add($"not compared: {f.NotCompared}");
        }
        return Invariant($"| {label} | {time} | {f.PerOperationUs:F3} | {ratio} | {added} | {string.Join("; ", notes)} |");
    }

    private static string Counts(BenchCounts c, string what) => c.Exact
        ? Invariant($"{what} {c.Expected:N0} exact in {c.ExactRounds}/{c.Rounds} rounds, lost 0")
        : Invariant($"{what} NOT EXACT: {c.ExactRounds}/{c.Rounds} rounds counted {c.Expected:N0} (counts {c.Min:N0} to {c.Max:N0}), lost {c.Lost:N0}")
            + (c.InconclusiveRounds > 0 ? Invariant($", {c.InconclusiveRounds}/{c.Rounds} rounds inconclusive ({c.InconclusiveReason})") : "");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
