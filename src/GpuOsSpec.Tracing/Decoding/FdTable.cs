namespace GpuOsSpec.Tracing.Decoding;

/// <summary>
/// What each fd of each traced process pointed to over time, from /proc snapshots and open/dup/close results, so that
/// an ioctl or mmap on an fd names the file it had when the call was made.
/// </summary>
/// <remarks>
/// perf gives an open's fd but not its path, so the path is read from /proc/PID/fd when the record is drained, which
/// may be after the program closed the fd and opened another file on the same number (Python opens hundreds of files on
/// fd 3). Each entry keeps when its path was read; an entry whose fd was closed between its open and that read, or
/// before the call asked about, names nothing rather than the wrong file.
/// </remarks>
internal sealed class FdTable
{
    private readonly Dictionary<(int Pid, long Fd), List<(long FromNs, string Path, long ReadNs)>> _entries = [];
    private readonly Dictionary<(int Pid, long Fd), List<long>> _closes = [];
    private readonly Dictionary<string, string?> _drmDrivers = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>
    /// Records that <paramref name="fd"/> of <paramref name="pid"/> points to <paramref name="path"/> from
    /// <paramref name="fromNs"/> on, as known at <paramref name="readNs"/> (by default: known at the time, as strace
    /// knows it).
    /// </summary>
    internal void Set(int pid, long fd, string path, long fromNs, long? readNs = null)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((pid, fd), out var list))
            {
                _entries[(pid, fd)] = list = [];
            }
            list.Add((fromNs, path, readNs ?? fromNs));
        }
    }

    /// <summary>Records that <paramref name="fd"/> of <paramref name="pid"/> was closed at
    /// <paramref name="atNs"/>.</summary>
    internal void Closed(int pid, long fd, long atNs)
    {
        lock (_gate)
        {
            if (!_closes.TryGetValue((pid, fd), out var list))
            {
                _closes[(pid, fd)] = list = [];
            }
            list.Add(atNs);
        }
    }

    /// <summary>Reads /proc/PID/fd/FD now and records it; returns the path or null.</summary>
    internal string? Resolve(int pid, long fd, long fromNs)
    {
        string? path = ReadLink($"/proc/{pid}/fd/{fd}");
        if (path is not null)
        {
            Set(pid, fd, path, fromNs, Libc.MonotonicNanoseconds());
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
                    Set(pid, fd, path, atNs, Libc.MonotonicNanoseconds());
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The path fd pointed to at <paramref name="timeNs"/>, or null when it is not known for sure.</summary>
    internal string? PathAt(int pid, long fd, long timeNs)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((pid, fd), out var list))
            {
                return null;
            }
            var closes = _closes.GetValueOrDefault((pid, fd)) ?? [];
            bool ClosedBetween(long from, long to) => closes.Any(c => c > from && c < to);
            (long FromNs, string Path, long ReadNs)? best = null;
            foreach (var entry in list)
            {
                if (entry.FromNs <= timeNs && (best is null || entry.FromNs >= best.Value.FromNs))
                {
                    best = entry;
                }
            }
            if (best is { } b)
            {
                // The fd must have held that file from its open until its path was read, and until the call.
                return ClosedBetween(b.FromNs, b.ReadNs) || ClosedBetween(b.FromNs, timeNs) ? null : b.Path;
            }
            // A call before every entry: the fd was open before the capture and named by a later snapshot, which holds
            // only if it was not closed in between.
            var first = list.MinBy(e => e.FromNs);
            return closes.Any(c => c >= timeNs && c < first.ReadNs) ? null : first.Path;
        }
    }

    /// <summary>
    /// The path recorded for the open that entered at <paramref name="enterNs"/> and returned <paramref name="fd"/>, or
    /// null when none was: the capture never read it, or the fd was closed before its path was read (the path then
    /// read was another file's, if any).
    /// </summary>
    internal string? OpenedBy(int pid, long fd, long enterNs)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((pid, fd), out var list))
            {
                return null;
            }
            var closes = _closes.GetValueOrDefault((pid, fd)) ?? [];
            foreach (var entry in list)
            {
                if (entry.FromNs == enterNs && !closes.Any(c => c > entry.FromNs && c < entry.ReadNs))
                {
                    return entry.Path;
                }
            }
            return null;
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
