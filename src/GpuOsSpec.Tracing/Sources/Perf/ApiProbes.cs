using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>One probed API function: its name, library, the file and offset its probes go on, and the tracepoint ids of
/// its entry and return probes.</summary>
internal sealed record ApiFunction(int Index, string Name, string Library, string Path, ulong Offset, ulong EntryId, ulong ReturnId);

/// <summary>
/// Entry and return uprobes on the curated entry points of the vendor libraries present (<see cref="ApiCatalog"/>).
/// The library file a program will load is found the way the program finds it: this process loads it by its soname
/// (dlopen, no initialisation) and reads its path from /proc/self/maps. Return probes make the kernel return through
/// the uretprobe syscall on x86-64 since Linux 6.11; the trace drops those calls and says how many. The probes are
/// tracefs uprobes: a probe is installed only in the processes whose perf events on it <see cref="PerfCapture"/> opens
/// (the traced tree, with inherit); those events are sampled by perf, or, where <see cref="KernelApiCounter"/> runs,
/// only install the probes its programs count.
/// </summary>
internal sealed class ApiProbes : IDisposable
{
    private readonly UprobeGroup _group;

    private ApiProbes(UprobeGroup group, List<ApiFunction> functions, List<string> notes)
    {
        _group = group;
        Functions = functions;
        Notes = notes;
    }

    internal IReadOnlyList<ApiFunction> Functions { get; }

    internal IReadOnlyList<string> Notes { get; }

    /// <summary>Finds the entry points of <paramref name="libraries"/> and defines their probes in tracefs; a library
    /// that is absent, or a function it lacks, is left out with a note.</summary>
    /// <exception cref="TracerException">When tracefs cannot take uprobes, or no
    /// asked-for library is present.</exception>
    internal static ApiProbes Define(ApiLibraries libraries)
    {
        var notes = new List<string>();
        var functions = new List<ApiFunction>();
        var group = new UprobeGroup("api");
        try
        {
            foreach (var library in ApiCatalog.All.Where(l => libraries.HasFlag(l.Flag)))
            {
                if (Locate(library.SoName) is not { } path)
                {
                    notes.Add($"API calls of {library.SoName} are not attributed: the library is not installed here.");
                    continue;
                }
                Dictionary<string, ulong> offsets;
                try
                {
                    offsets = ElfSymbol.FileOffsets(path, library.Functions);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    notes.Add($"API calls of {library.SoName} are not attributed: {path} could not be read as a library ({ex.Message}).");
                    continue;
                }
                var missing = new List<string>();
                foreach (string function in library.Functions)
                {
                    if (!offsets.TryGetValue(function, out ulong offset))
                    {
                        missing.Add(function);
                        continue;
                    }
                    ulong entry = group.Define("e_" + function, onReturn: false, path, offset).Id;
                    ulong exit = group.Define("r_" + function, onReturn: true, path, offset).Id;
                    functions.Add(new ApiFunction(functions.Count, function, library.SoName, path, offset, entry, exit));
                }
                int found = library.Functions.Count - missing.Count;
                notes.Add($"API calls: {found} entry points of {path} are probed (entry and return uprobes, installed in the traced processes only){(missing.Count > 0 ? $"; not exported there (so not attributed): {string.Join(", ", missing)}" : "")}.");
            }
            if (functions.Count == 0)
            {
                throw new TracerException($"No API entry point could be probed ({string.Join(" ", notes)}).");
            }
            return new ApiProbes(group, functions, notes);
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>The file the dynamic loader resolves <paramref name="soName"/> to, or null.</summary>
    internal static string? Locate(string soName)
    {
        // Left loaded: unloading a vendor library that registered atexit handlers is not safe.
        if (!NativeLibrary.TryLoad(soName, out _))
        {
            return null;
        }
        // The mapping whose file name is the soname or its target (libcuda.so.1 -> libcuda.so.580.95.05).
        string stem = soName[..soName.IndexOf(".so", StringComparison.Ordinal)];
        return File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].StartsWith('/'))
            .Select(f => f[5].Trim())
            .FirstOrDefault(p => Path.GetFileName(p).StartsWith(stem + ".so", StringComparison.Ordinal));
    }

    public void Dispose() => _group.Dispose();
}
