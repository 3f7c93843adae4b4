using System.Globalization;

namespace GpuOsSpec.Tracing.Capture.ProcFs;

/// <summary>One thread's counters read from /proc/PID/task/TID/{status,stat,comm}.</summary>
internal sealed record TaskSnapshot(int Tid, string Name, long Voluntary, long Involuntary, long MinorFaults, long MajorFaults)
{
    /// <summary>Reads every thread of <paramref name="pid"/>; threads that vanish mid-read are skipped.</summary>
    internal static Dictionary<int, TaskSnapshot> ReadAll(int pid)
    {
        var result = new Dictionary<int, TaskSnapshot>();
        string dir = $"/proc/{pid}/task";
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories(dir).ToList();
        }
        catch (IOException)
        {
            return result;
        }
        foreach (string task in tasks)
        {
            if (int.TryParse(Path.GetFileName(task), out int tid) && Read(task, tid) is { } snapshot)
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
            string name = File.ReadAllText(Path.Combine(taskDir, "comm")).TrimEnd('\n');
            long vol = 0, invol = 0;
            foreach (string line in File.ReadLines(Path.Combine(taskDir, "status")))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    vol = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    invol = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }
            // stat: "tid (comm) state ppid ... minflt(10) cminflt majflt(12) ..."; comm may hold spaces, so split after ')'.
            string stat = File.ReadAllText(Path.Combine(taskDir, "stat"));
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long minflt = long.Parse(fields[7], CultureInfo.InvariantCulture);
            long majflt = long.Parse(fields[9], CultureInfo.InvariantCulture);
            return new TaskSnapshot(tid, name, vol, invol, minflt, majflt);
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
