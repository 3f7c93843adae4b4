namespace GpuOsSpec.Tracing.Platform.Tracepoints;

/// <summary>
/// Finds tracefs and reads tracepoint ids and formats from it. It never mounts tracefs: a tracer that changes the
/// system on its own is a surprise, so a missing mount is reported with the command that fixes it.
/// </summary>
internal static class Tracefs
{
    private static readonly string[] s_candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];
    private static string? s_root;

    /// <summary>The tracefs root, or null when it is not mounted or not readable (see
    /// <see cref="Diagnose"/>).</summary>
    internal static string? Root => s_root ??= Locate();

    internal static string MountFix => "mount -t tracefs nodev /sys/kernel/tracing (as root)";

    private static string? Locate() =>
        s_candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "events/raw_syscalls/sys_enter/id")));

    /// <summary>Why <see cref="Root"/> is null, and the fix: not mounted, or mounted but not readable by this
    /// user.</summary>
    internal static (string Missing, string Fix) Diagnose()
    {
        string? mounted = MountPoint();
        if (mounted is null)
        {
            return ("tracefs is not mounted (gpuosspec never mounts it itself)", MountFix);
        }
        try
        {
            _ = Directory.EnumerateFileSystemEntries(mounted).FirstOrDefault();
            return ($"tracefs is mounted at {mounted}, but events/raw_syscalls is not there (the kernel needs CONFIG_FTRACE_SYSCALLS)", "use a kernel with syscall tracepoints, or --source strace");
        }
        catch (UnauthorizedAccessException)
        {
            return ($"tracefs is mounted at {mounted}, but this user may not read it (permission denied; it is usually mode 0700)",
                "run as root, or grant CAP_PERFMON and make tracefs readable (mount -o remount,mode=755 " + mounted + ")");
        }
        catch (IOException ex)
        {
            return ($"tracefs at {mounted} cannot be read ({ex.Message})", "run as root");
        }
    }

    // The first tracefs mount listed in /proc/mounts, or null.
    private static string? MountPoint()
    {
        try
        {
            return File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).FirstOrDefault(f => f.Length > 2 && f[2] == "tracefs")?[1];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The id of tracepoint <paramref name="system"/>:<paramref name="name"/>, or null when it does not
    /// exist.</summary>
    internal static int? EventId(string system, string name)
    {
        if (Root is null)
        {
            return null;
        }
        string path = Path.Combine(Root, "events", system, name, "id");
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>The record format of a tracepoint.</summary>
    internal static TracepointFormat? Format(string system, string name)
    {
        if (Root is null)
        {
            return null;
        }
        string path = Path.Combine(Root, "events", system, name, "format");
        return File.Exists(path) ? TracepointFormat.Parse(File.ReadAllText(path)) : null;
    }
}
