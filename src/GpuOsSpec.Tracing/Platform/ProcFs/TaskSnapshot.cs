using System.Globalization;

namespace GpuOsSpec.Tracing.Platform.ProcFs;

/// <summary>One thread's counters read from /proc/PID/task/TID/{status,stat,comm}.</summary>
internal sealed record TaskSnapshot(int Tid, string Name, long Voluntary, long Involuntary, long MinorFaults, long MajorFaults)
{
    /// <summary>Reads every thread of <paramref name="pid"/>; threads that vanish mid-read are skipped.</summary>
    internal static Dictionary<int, TaskSnapshot> ReadAll(int pid)
    {
        var result = new Dictionary<int, TaskSnapshot>();
        foreach (int tid in ProcessThreads.Of(pid))
        {
            if (Read($"/proc/{pid}/task/{tid}", tid) is { } snapshot)
            {
                result[tid] = snapshot;
            }
        }
        return result;
    }

    private static TaskSnapshot? Read(string taskDir, int tid)
    {
        try
        {
            return Parse(tid, File.ReadAllText(Path.Combine(taskDir, "comm")), File.ReadAllText(Path.Combine(taskDir, "status")),
                File.ReadAllText(Path.Combine(taskDir, "stat")));
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

    /// <summary>Reads a task's comm, status and stat text; null when any of them does not have the expected
    /// shape.</summary>
    internal static TaskSnapshot? Parse(int tid, string comm, string status, string stat)
    {
        long? vol = null, invol = null;
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                vol = Number(line.AsSpan(line.IndexOf(':') + 1));
            }
            else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                invol = Number(line.AsSpan(line.IndexOf(':') + 1));
            }
        }
        // stat: "tid (comm) state ppid ... minflt(10) cminflt majflt(12) ..."; comm may hold spaces, so split after
        // ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length || vol is null || invol is null)
        {
            return null;
        }
        string[] fields = stat[(close + 2)..].Split(' ');
        long? minflt = fields.Length > 9 ? Number(fields[7]) : null;
        long? majflt = fields.Length > 9 ? Number(fields[9]) : null;
        return minflt is null || majflt is null ? null : new TaskSnapshot(tid, comm.TrimEnd('\n'), vol.Value, invol.Value, minflt.Value, majflt.Value);
    }

    private static long? Number(ReadOnlySpan<char> text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
}
