using System.Globalization;

namespace GpuOsSpec.Tracing.Platform.Tracepoints;

/// <summary>The kernel's CPU lists ("0-3,8,10-11") from /sys/devices/system/cpu.</summary>
internal static class CpuList
{
    /// <summary>The CPUs online now; every CPU .NET reports when the list cannot be read.</summary>
    internal static int[] Online() => Read("online") ?? Enumerable.Range(0, Environment.ProcessorCount).ToArray();

    /// <summary>How many CPUs the kernel may ever bring up: the size of a per-CPU eBPF map value.</summary>
    internal static int PossibleCount() => (Read("possible") ?? Online()).Max() + 1;

    /// <summary>Parses a CPU list; null when it is malformed.</summary>
    internal static int[]? Parse(string text)
    {
        var cpus = new List<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from))
            {
                return null;
            }
            int to = from;
            if (range.Length == 2 && !int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out to))
            {
                return null;
            }
            for (int c = from; c <= to; c++)
            {
                cpus.Add(c);
            }
        }
        return cpus.Count > 0 ? cpus.ToArray() : null;
    }

    private static int[]? Read(string list)
    {
        try
        {
            return Parse(File.ReadAllText($"/sys/devices/system/cpu/{list}"));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
