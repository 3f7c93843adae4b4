namespace GpuOsSpec.Cases;

/// <summary>
/// The GPU test case running on this async flow (set by <see cref="GpuOsSpec.Xunit.GpuTestCase"/>), so a trace's
/// artifacts are named after the test and its arguments ("Class.Method[opencl:1]"), not after whichever helper method
/// called <c>GpuSpec.Trace</c>, and every backend's case gets its own file.
/// </summary>
internal static class CurrentTest
{
    private static readonly AsyncLocal<(string Name, string Class, IReadOnlyList<string> Arguments)?> s_current = new();

    /// <summary>The running case's name, its test class (full name) and its arguments as text, or null outside a GPU
    /// test case.</summary>
    internal static (string Name, string Class, IReadOnlyList<string> Arguments)? Value => s_current.Value;

    /// <summary>Marks <paramref name="name"/> of <paramref name="testClass"/> as running on this flow until the result
    /// is disposed.</summary>
    internal static IDisposable Enter(string name, string testClass, IReadOnlyList<string> arguments)
    {
        var previous = s_current.Value;
        s_current.Value = (name, testClass, arguments);
        return new Exit(previous);
    }

    /// <summary>
    /// The artifact name for a trace made in the running case: the case's name, then <paramref name="label"/> in
    /// brackets unless it is one of the case's arguments already. Outside a case:
    /// <paramref name="spec"/>[<paramref name="label"/>].
    /// </summary>
    internal static string ArtifactName(string spec, string? label)
    {
        if (Value is not { } test)
        {
            return label is null ? spec : $"{spec}[{label}]";
        }
        return label is null || test.Arguments.Contains(label) ? test.Name : $"{test.Name}[{label}]";
    }

    private sealed class Exit((string, string, IReadOnlyList<string>)? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
