using System.Globalization;

namespace GpuOsSpec.Fixtures;

/// <summary>
/// The threads GPU runtimes start in this process, learned by watching which threads appear during vendor calls
/// (discovery, context creation). Traces label them as GPU-runtime threads even when the runtime never named them (PoCL's
/// workers keep the name of the .NET thread that created them).
/// </summary>
public static class RuntimeThreads
{
    private static readonly HashSet<int> s_tids = [];
    private static readonly object s_gate = new();

    /// <summary>The threads seen to start during vendor calls, still or once alive.</summary>
    public static IReadOnlySet<int> Tids
    {
        get
        {
            lock (s_gate)
            {
                return s_tids.ToHashSet();
            }
        }
    }

    /// <summary>Runs a vendor call and records the threads that appeared while it ran.</summary>
    public static T Observe<T>(Func<T> vendorCall)
    {
        var before = Snapshot();
        var result = vendorCall();
        var after = Snapshot();
        lock (s_gate)
        {
            s_tids.UnionWith(after.Except(before));
        }
        return result;
    }

    private static HashSet<int> Snapshot()
    {
        try
        {
            return Directory.EnumerateDirectories("/proc/self/task")
                .Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture)).ToHashSet();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
