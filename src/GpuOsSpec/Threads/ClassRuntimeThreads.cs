namespace GpuOsSpec.Threads;

/// <summary>
/// The GPU runtime threads as a test class's trace labels them, asked when the trace is built: the threads of contexts
/// the class never used are another test's. Asking at the end, not the start, names a stream another class created
/// while the trace ran.
/// </summary>
/// <param name="testClass">The running case's class, or null outside a GPU test case (then no thread is
/// foreign).</param>
/// <param name="given">A registry the caller passed in the capture options, whose answers are
/// added.</param>
internal sealed class ClassRuntimeThreads(string? testClass, IRuntimeThreadRegistry? given) : IRuntimeThreadRegistry
{
    public IReadOnlySet<int> RuntimeTids() => Union(RuntimeThreads.Tids, given?.RuntimeTids());

    public IReadOnlySet<int> ForeignRuntimeTids() =>
        Union(testClass is null ? new HashSet<int>() : RuntimeThreads.ForeignTo(testClass), given?.ForeignRuntimeTids());

    private static IReadOnlySet<int> Union(IReadOnlySet<int> ours, IReadOnlySet<int>? theirs) =>
        theirs is null ? ours : ours.Union(theirs).ToHashSet();
}
