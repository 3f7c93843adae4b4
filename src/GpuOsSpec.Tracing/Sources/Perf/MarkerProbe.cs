using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Where gpuos markers are read: an entry uprobe on gpuos_probe_marker in one copy of libgpuos.so, defined through
/// tracefs (uprobe_events) with fetch arguments that copy the marker record's fields out of the caller's memory, then
/// opened as a tracepoint. Not perf_event_open's uprobe PMU: an inherited uprobe-PMU event re-reads its path pointer in
/// every forked child, where it points nowhere, and fork fails with EFAULT. Entry probes only: a uretprobe returns
/// through the uretprobe syscall (467) on x86-64 since Linux 6.11, a syscall per marker in the figures.
/// </summary>
internal sealed record MarkerProbe(string LibraryPath, ulong Offset)
{
    internal const string Symbol = "gpuos_probe_marker";

    // The first argument register, as uprobe fetch arguments name it.
    private static string? ArgumentRegister => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "%di",
        Architecture.Arm64 => "%x0",
        _ => null,
    };

    /// <summary>The probe for <paramref name="libraryPath"/>.</summary>
    /// <exception cref="TracerException"> When the
    /// path is not a regular file, is not a gpuos library (not ELF, malformed, or without the symbol), or tracefs has
    /// no uprobe_events; the message says which and has the fix. </exception>
    internal static MarkerProbe For(string libraryPath)
    {
        string full = Path.GetFullPath(libraryPath);
        switch (RegularFile.Problem(full))
        {
            case null:
                break;
            case "does not exist":
                throw new TracerException($"The gpuos library {full} does not exist. Fix: build it (dotnet build) or pass --gpuos-library PATH.");
            case "is a directory":
                throw new TracerException($"The gpuos library path {full} is a directory, not a library. Fix: name the file, e.g. --gpuos-library {Path.Combine(full, "libgpuos.so")}.");
            case var problem:
                throw new TracerException($"The gpuos library path {full} {problem}; gpuosspec reads a library only from a regular file. Fix: pass the path of libgpuos.so (--gpuos-library PATH or GPUOS_LIBRARY).");
        }
        if (ArgumentRegister is null)
        {
            throw new TracerException($"gpuos markers are read on x86-64 and arm64 only, not {RuntimeInformation.ProcessArchitecture}.");
        }
        if (full.Any(c => char.IsWhiteSpace(c) || c == ':'))
        {
            throw new TracerException($"uprobe_events cannot name a path with spaces or colons ({full}). Fix: copy libgpuos.so to a plain path and pass --gpuos-library.");
        }
        ulong offset;
        try
        {
            offset = ElfSymbol.FileOffset(full, Symbol);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new TracerException($"{full} is not a gpuos library: {ex.Message} Fix: pass the libgpuos.so that dotnet build puts beside gpuosspec, or one built from gpuos/src (--gpuos-library PATH or GPUOS_LIBRARY).");
        }
        if (Tracefs.Root is not { } root || !File.Exists(Path.Combine(root, "uprobe_events")))
        {
            throw new TracerException($"tracefs has no uprobe_events: gpuos markers cannot be read. Fix: {Tracefs.MountFix}; the kernel needs CONFIG_UPROBE_EVENTS.");
        }
        return new MarkerProbe(full, offset);
    }

    /// <summary>Defines the uprobe event and returns it; dispose it to remove it.</summary>
    /// <exception cref="TracerException">When tracefs refuses the definition.</exception>
    internal MarkerEvent Register()
    {
        var group = new UprobeGroup("markers");
        string r = ArgumentRegister!;
        try
        {
            // The record's fields at their offsets in struct gpuos_marker (gpuos.h); uprobe dereferences read user
            // memory.
            var (id, format) = group.Define("marker", onReturn: false, LibraryPath, Offset,
                $"magic=+0({r}):u32 kind=+6({r}):u16 cls=+8({r}):u32 depth=+12({r}):u32 seq=+16({r}):u64 name=+24({r}):string");
            return new MarkerEvent(group, id, format);
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>The library gpuosspec ships beside itself, or null.</summary>
    internal static string? Bundled()
    {
        string here = Path.Combine(AppContext.BaseDirectory, "libgpuos.so");
        return File.Exists(here) ? here : null;
    }
}

/// <summary>A defined marker uprobe event; disposing removes it from tracefs (after its perf events are
/// closed).</summary>
internal sealed class MarkerEvent(UprobeGroup group, ulong id, TracepointFormat format) : IDisposable
{
    internal ulong Id => id;

    internal TracepointFormat Format => format;

    public void Dispose() => group.Dispose();
}
