using System.Globalization;

namespace GpuOsSpec.Threads;

/// <summary>
/// The threads GPU runtimes start in this process. A context whose backend starts its threads itself names them
/// (<see cref="IContextThreads"/>: the CPU backend); for the others, they are learned by watching which threads appear
/// during vendor calls (discovery, context creation). Traces label them as GPU-runtime threads even when the runtime
/// never named them (PoCL's workers keep the name of the .NET thread that created them).
/// </summary>
/// <remarks>
/// Two calls never watch at once, so one call's threads are never taken for another's (a platform's shared workers for
/// one fixture's, say). Making a context waits for the trace gate too (<see cref="TraceGate.EnterUnlessHeld"/>): no
/// trace runs while a fixture's context is made or torn down, so its threads are known, with their owner, before any
/// trace can see them. Discovery need not wait: a thread it starts during a trace is started by a thread outside that
/// trace's view, which labels it foreign. A window still catches a thread that unobserved code started meanwhile
/// (another class's, say): one that starts during a trace is labelled by the thread that started it all the same, but
/// one started before the trace is taken for a runtime thread. A context that names its threads needs no window.
/// </remarks>
public static class RuntimeThreads
{
    private static readonly HashSet<int> s_unowned = [];
    private static readonly object s_gate = new();
    // Held while a window is watched; never while waiting for the trace gate.
    private static readonly object s_window = new();
    // Which owner (a fixture) started which threads, and which test classes used that owner's contexts.
    private static readonly Dictionary<object, Owner> s_owners = new(ReferenceEqualityComparer.Instance);

    /// <summary>The threads seen to start during vendor calls, still or once alive, and those the fixtures' contexts
    /// name.</summary>
    public static IReadOnlySet<int> Tids
    {
        get
        {
            lock (s_gate)
            {
                var tids = s_unowned.ToHashSet();
                foreach (var owner in s_owners.Values)
                {
                    tids.UnionWith(owner.Threads());
                }
                return tids;
            }
        }
    }

    /// <summary>Runs a vendor call and records the threads that appeared while it ran.</summary>
    public static T Observe<T>(Func<T> vendorCall)
    {
        var (result, started) = Watch(vendorCall);
        lock (s_gate)
        {
            s_unowned.UnionWith(started);
        }
        return result;
    }

    /// <summary>
    /// Creates a context as <paramref name="owner"/>'s: its threads are the ones it names, or else the ones that
    /// appeared while it was created. Traces of test classes that never used the owner's contexts leave them out
    /// (<see cref="ForeignTo"/>).
    /// </summary>
    internal static IGpuContext Create(object owner, Func<IGpuContext> create)
    {
        using (TraceGate.EnterUnlessHeld())
        {
            var (context, started) = Watch(create);
            lock (s_gate)
            {
                var o = OwnerOf(owner);
                if (context is IContextThreads named)
                {
                    o.Named.Add(named);
                }
                else
                {
                    o.Observed.UnionWith(started);
                }
            }
            return context;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="owner"/>'s <paramref name="context"/>, recording the threads
    /// that appeared while it ran as the owner's unless the context names its threads.
    /// </summary>
    internal static void Use(object owner, IGpuContext context, Action call)
    {
        using (TraceGate.EnterUnlessHeld())
        {
            if (context is IContextThreads)
            {
                call();
                return;
            }
            var (_, started) = Watch(() =>
            {
                call();
                return 0;
            });
            lock (s_gate)
            {
                OwnerOf(owner).Observed.UnionWith(started);
            }
        }
    }

    /// <summary>Notes that <paramref name="testClass"/> uses <paramref name="owner"/>'s contexts.</summary>
    internal static void UsedBy(object owner, string testClass)
    {
        lock (s_gate)
        {
            OwnerOf(owner).Users.Add(testClass);
        }
    }

    /// <summary>
    /// Forgets <paramref name="owner"/>'s threads: its contexts are disposed, and their thread ids may be reused. Call
    /// it holding the trace gate, as the disposal that ended the threads did, so no trace saw them end unlabelled.
    /// </summary>
    internal static void Release(object owner)
    {
        lock (s_gate)
        {
            s_owners.Remove(owner);
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
            return s_owners.Values.Where(o => !o.Users.Contains(testClass)).SelectMany(o => o.Threads()).ToHashSet();
        }
    }

    private static Owner OwnerOf(object owner)
    {
        if (!s_owners.TryGetValue(owner, out var o))
        {
            s_owners[owner] = o = new Owner();
        }
        return o;
    }

    private static (T Result, List<int> Started) Watch<T>(Func<T> vendorCall)
    {
        lock (s_window)
        {
            var before = Snapshot();
            var result = vendorCall();
            var after = Snapshot();
            return (result, after.Except(before).ToList());
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

    private sealed class Owner
    {
        internal HashSet<int> Observed { get; } = [];

        internal List<IContextThreads> Named { get; } = [];

        internal HashSet<string> Users { get; } = new(StringComparer.Ordinal);

        // Asked each time: a named context's later streams are its threads too.
        internal IEnumerable<int> Threads() => Observed.Concat(Named.SelectMany(c => c.ThreadIds));
    }
}
