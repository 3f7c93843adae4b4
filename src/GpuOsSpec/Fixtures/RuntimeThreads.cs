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
    // Which owner (a fixture) started which threads, and which test classes used that owner's contexts.
    private static readonly Dictionary<object, HashSet<int>> s_owned = new(ReferenceEqualityComparer.Instance);
    private static readonly Dictionary<object, HashSet<string>> s_users = new(ReferenceEqualityComparer.Instance);

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
    public static T Observe<T>(Func<T> vendorCall) => Observe(null, vendorCall);

    /// <summary>
    /// Runs a vendor call and records the threads that appeared while it ran as <paramref name="owner"/>'s, so traces of
    /// test classes that never used the owner's contexts can leave them out (<see cref="ForeignTo"/>).
    /// </summary>
    internal static T Observe<T>(object? owner, Func<T> vendorCall)
    {
        var before = Snapshot();
        var result = vendorCall();
        var after = Snapshot();
        lock (s_gate)
        {
            var started = after.Except(before).ToList();
            s_tids.UnionWith(started);
            if (owner is not null)
            {
                if (!s_owned.TryGetValue(owner, out var owned))
                {
                    s_owned[owner] = owned = [];
                }
                owned.UnionWith(started);
            }
        }
        return result;
    }

    /// <summary>Notes that <paramref name="testClass"/> uses <paramref name="owner"/>'s contexts.</summary>
    internal static void UsedBy(object owner, string testClass)
    {
        lock (s_gate)
        {
            if (!s_users.TryGetValue(owner, out var users))
            {
                s_users[owner] = users = new HashSet<string>(StringComparer.Ordinal);
            }
            users.Add(testClass);
        }
    }

    /// <summary>Forgets <paramref name="owner"/>'s threads (its contexts are disposed; their thread ids may be reused).</summary>
    internal static void Release(object owner)
    {
        lock (s_gate)
        {
            if (s_owned.Remove(owner, out var owned))
            {
                s_tids.ExceptWith(owned);
            }
            s_users.Remove(owner);
        }
    }

    /// <summary>
    /// The GPU runtime threads of contexts that <paramref name="testClass"/> never used: other test classes' threads,
    /// running in parallel in this process. Traces label them (and the threads they start) as other tests' threads.
    /// </summary>
    public static IReadOnlySet<int> ForeignTo(string testClass)
    {
        lock (s_gate)
        {
            return s_owned.Where(kv => !(s_users.TryGetValue(kv.Key, out var users) && users.Contains(testClass)))
                .SelectMany(kv => kv.Value).ToHashSet();
        }
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
