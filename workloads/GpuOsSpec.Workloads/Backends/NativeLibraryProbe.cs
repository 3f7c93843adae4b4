using System.Runtime.InteropServices;

namespace GpuOsSpec.Workloads.Backends;

/// <summary>Checks that a native library loads before any P/Invoke into it, so a missing one is a reason, not a
/// crash.</summary>
internal static class NativeLibraryProbe
{
    /// <summary>Null when <paramref name="library"/> loads; otherwise the reason with the fix.</summary>
    internal static string? Missing(string library, string fix)
    {
        if (NativeLibrary.TryLoad(library, out nint handle))
        {
            NativeLibrary.Free(handle);
            return null;
        }
        return $"library missing: {library} could not be loaded ({fix})";
    }
}
