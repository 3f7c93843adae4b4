using System.Diagnostics;

namespace GpuOsSpec.Tracing.Capture.PerfEvents;

/// <summary>Finds tracefs (and mounts it when absent and permitted) and reads tracepoint ids and formats from it.</summary>
internal static class Tracefs
{
    private static readonly string[] s_candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];
    private static string? s_root;

    /// <summary>The tracefs root, or null when it is not mounted and could not be.</summary>
    internal static string? Root => s_root ??= Locate();

    internal static string MountFix => "mount -t tracefs nodev /sys/kernel/tracing (as root)";

    private static string? Locate()
    {
        foreach (string c in s_candidates)
        {
            if (File.Exists(Path.Combine(c, "events/raw_syscalls/sys_enter/id")))
            {
                return c;
            }
        }
        if (Directory.Exists("/sys/kernel/tracing") && Environment.UserName == "root")
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("mount", "-t tracefs nodev /sys/kernel/tracing")
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                p?.WaitForExit(5000);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            if (File.Exists("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id"))
            {
                return "/sys/kernel/tracing";
            }
        }
        return null;
    }

    /// <summary>The id of tracepoint <paramref name="system"/>:<paramref name="name"/>, or null when it does not exist.</summary>
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

    /// <summary>The syscall names that have syscalls:sys_enter_NAME tracepoints.</summary>
    internal static IReadOnlyList<string> SyscallTracepoints()
    {
        if (Root is null)
        {
            return [];
        }
        string dir = Path.Combine(Root, "events", "syscalls");
        return Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir, "sys_enter_*").Select(d => Path.GetFileName(d)["sys_enter_".Length..]).ToList()
            : [];
    }
}
