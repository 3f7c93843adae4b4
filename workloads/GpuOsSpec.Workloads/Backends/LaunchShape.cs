namespace GpuOsSpec.Workloads.Backends;

/// <summary>A one-dimensional launch: blocks (work groups) of threads (work items).</summary>
/// <param name="Blocks">Number of blocks.</param>
/// <param name="ThreadsPerBlock">Threads per block.</param>
public readonly record struct LaunchShape(uint Blocks, uint ThreadsPerBlock)
{
    /// <summary>One thread.</summary>
    public static LaunchShape Single => new(1, 1);

    /// <summary>Enough 256-thread blocks to cover <paramref name="items"/>.</summary>
    public static LaunchShape Cover(long items) => new((uint)Math.Max(1, (items + 255) / 256), 256);

    /// <summary>Total threads.</summary>
    public long Threads => (long)Blocks * ThreadsPerBlock;
}
