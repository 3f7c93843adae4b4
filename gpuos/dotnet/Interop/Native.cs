using System.Reflection;
using System.Runtime.InteropServices;

namespace GpuOs.Interop;

/// <summary>
/// The libgpuos entry points, one per file (Native.gpuos_*.cs). The library is looked up in GPUOS_LIBRARY, then next to
/// this assembly, then by the loader's own search; <see cref="Loaded"/> says whether it was found.
/// </summary>
internal static partial class Native
{
    internal const string Library = "gpuos";

    private static readonly Lazy<(bool Loaded, string? Reason)> s_load = new(Load);

    static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

    /// <summary>True when libgpuos.so was loaded.</summary>
    internal static bool Loaded => s_load.Value.Loaded;

    /// <summary>Why it was not, or null.</summary>
    internal static string? Reason => s_load.Value.Reason;

    private static nint s_handle;

    private static (bool, string?) Load()
    {
        var tried = new List<string>();
        foreach (string candidate in Candidates())
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out s_handle))
            {
                return (true, null);
            }
        }
        // From a NuGet package the library is a runtime asset (runtimes/linux-x64/native), which the host resolves
        // through the application's deps.json.
        tried.Add("the package's runtimes/linux-x64/native");
        if (NativeLibrary.TryLoad("gpuos", typeof(Native).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories, out s_handle))
        {
            return (true, null);
        }
        return (false, $"libgpuos.so was not found (tried {string.Join(", ", tried)}). Fix: build it with `dotnet build` (it needs cc), or set GPUOS_LIBRARY to its path");
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("GPUOS_LIBRARY") is { Length: > 0 } env)
        {
            yield return env;
        }
        yield return Path.Combine(AppContext.BaseDirectory, "libgpuos.so");
        yield return Path.Combine(Path.GetDirectoryName(typeof(Native).Assembly.Location) ?? ".", "libgpuos.so");
        yield return "libgpuos.so";
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library && Loaded ? s_handle : 0;
}
