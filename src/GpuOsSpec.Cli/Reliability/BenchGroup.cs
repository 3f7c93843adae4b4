namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// The variants of one storm, compared with its first variant (untraced), round by round.
/// </summary>
/// <param name="Id">The storm's name in JSON ("syscalls", "markers").</param>
/// <param name="Description">What the storm does, for the table's heading.</param>
/// <param name="Operation">What one operation is ("syscall", "marker"), for the per-operation columns.</param>
/// <param name="Operations">Operations in one run: the cost per operation is the time over this.</param>
/// <param name="Counted">What a traced run counts, for the table ("getppid", "markers").</param>
/// <param name="Variants">The variants; the first is the reference the ratios and added costs are taken
/// against.</param>
internal sealed record BenchGroup(string Id, string Description, string Operation, long Operations, string Counted, IReadOnlyList<BenchVariant> Variants)
{
    /// <summary>The reference every other variant is compared with.</summary>
    internal BenchVariant Reference => Variants[0];
}
