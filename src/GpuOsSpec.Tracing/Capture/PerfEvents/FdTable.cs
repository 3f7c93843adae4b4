namespace GpuOsSpec.Tracing.Capture.PerfEvents;

/// <summary>
/// What each fd of each traced process pointed to over time, from /proc snapshots and open/dup/close results, so that an
/// ioctl or mmap on an fd names its device.
/// </summary>
internal sealed class FdTable
{
    private readonly Dictionary<(int Pid, long Fd), List<(long FromNs, string Path)>> _entries = [];
    private readonly Dictionary<string, string?> _drmDrivers = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Records that <paramref name="fd"/> of <paramref name="pid"/> points to <paramref name="path"/> from <paramref name="fromNs"/> on.</summary>
    internal void Set(int pid, long fd, string path, long fromNs)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((pid, fd), out var list))
            {
                _entries[(pid, fd)] = list = [];
            }
            list.Add((fromNs, path));
        }
    }

    /// <summary>Reads /proc/PID/fd/FD now and records it; returns the path or null.</summary>
    internal string? Resolve(int pid, long fd, long fromNs)
    {
        string? path = ReadLink($"/proc/{pid}/fd/{fd}");
        if (path is not null)
        {
            Set(pid, fd, path, fromNs);
        }
        return path;
    }

    /// <summary>Snapshots every fd of a process.</summary>
    internal void Snapshot(int pid, long atNs)
    {
        try
        {
            foreach (string link in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (long.TryParse(Path.GetFileName(link), out long fd) && ReadLink(link) is { } path)
                {
                    Set(pid, fd, path, atNs);
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The path fd pointed to at <paramref name="timeNs"/>, or null.</summary>
    internal string? PathAt(int pid, long fd, long timeNs)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((pid, fd), out var list))
            {
                return null;
            }
            string? best = null;
            long bestFrom = long.MinValue;
            foreach (var (from, path) in list)
            {
                if (from <= timeNs && from >= bestFrom)
                {
                    best = path;
                    bestFrom = from;
                }
            }
            // A snapshot taken after the call (the fd was opened before capture and resolved late) still names it.
            return best ?? list.OrderBy(e => e.FromNs).First().Path;
        }
    }

    /// <summary>All (pid, fd, path) entries, for exports.</summary>
    internal IReadOnlyList<(int Pid, long Fd, string Path)> All()
    {
        lock (_gate)
        {
            return _entries.SelectMany(e => e.Value.Select(v => (e.Key.Pid, e.Key.Fd, v.Path))).Distinct().ToList();
        }
    }

    /// <summary>The kernel driver behind a /dev/dri node (amdgpu, i915, nvidia-drm), or null.</summary>
    internal string? DrmDriver(string devicePath)
    {
        lock (_gate)
        {
            if (!_drmDrivers.TryGetValue(devicePath, out string? driver))
            {
                string? target = ReadLink($"/sys/class/drm/{Path.GetFileName(devicePath)}/device/driver");
                _drmDrivers[devicePath] = driver = target is null ? null : Path.GetFileName(target);
            }
            return driver;
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
