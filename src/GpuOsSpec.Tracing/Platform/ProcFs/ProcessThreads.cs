using System.Globalization;

namespace GpuOsSpec.Tracing.Platform.ProcFs;

/// <summary>The threads of a process, from /proc/PID/task.</summary>
public static class ProcessThreads
{
    /// <summary>The thread ids of <paramref name="pid"/> now; empty when the process is gone.</summary>
    public static IReadOnlyList<int> Of(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? tid : 0)
                .Where(t => t > 0).ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The processes <paramref name="pid"/> started that are still alive (/proc's children list).</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int child) ? child : 0).Where(c => c > 0).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
