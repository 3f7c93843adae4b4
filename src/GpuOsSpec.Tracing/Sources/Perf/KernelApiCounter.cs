using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Per-API attribution counted in the kernel (issue 21): src/GpuOsSpec.Tracing/Bpf/api.bpf.c, loaded with libbpf,
/// keeps each thread's innermost open API call in task storage from one entry and one return uprobe program (the
/// function is the probe's bpf cookie), adds the thread's syscalls, context switches and page faults to it, and writes
/// one record per call at its return. No probe hit makes a perf sample, and nothing is joined in user space. The entry
/// and return programs ride the tracefs uprobes' perf events that <see cref="PerfCapture"/> opens on the traced threads
/// (with inherit): the kernel installs a probe only in the memory of a process one of those events follows (the traced
/// process, its threads, and the processes it forks, across their execs), so no other process on the machine traps on
/// the library; the programs also filter by the followed tree (api_tgids).
/// </summary>
internal sealed class KernelApiCounter : IDisposable
{
    /// <summary>The embedded object's manifest resource name.</summary>
    internal const string ObjectResource = "GpuOsSpec.Tracing.Bpf.api.bpf.o";

    private const string EntryProgram = "api_entry";
    private const string ReturnProgram = "api_return";

    // The tracepoint programs, each attached where its section says. The page-fault tracepoints are x86's.
    private static readonly string[] Tracepoints = ["api_sys_enter", "api_switch", "api_fault_user", "api_fault_kernel", "api_exit", "api_fork", "api_exec"];

    // api.h's enum api_stat: the stats that mean a call or a count is missing.
    private static readonly (int Index, string Meaning)[] LossStats =
    [
        (1, "call record(s) were lost because the kernel's ring buffer was full"),
        (2, "call(s) nested deeper than the kernel keeps (16 open calls a thread) were not told apart"),
        (5, "call(s) were not counted because the kernel could not allocate their thread's state"),
    ];

    private const int CallsStat = 0;
    private const int UnmatchedStat = 3;

    private readonly BpfObject _object;
    private readonly BpfRingBuffer _records;
    private readonly IReadOnlyList<ApiFunction> _functions;
    private readonly List<KernelApiRecord> _read = new(16_384);
    private long _unreadable;
    private Thread? _reader;
    private volatile bool _stop;

    /// <param name="functions">The probed functions; each one's index is its probes' cookie.</param>
    /// <param name="resource">The embedded object (tests name one that is absent).</param>
    /// <exception cref="BpfUnavailableException">When the object cannot be opened or loaded.</exception>
    internal KernelApiCounter(IReadOnlyList<ApiFunction> functions, string resource = ObjectResource)
    {
        _functions = functions;
        try
        {
            _object = BpfObject.OpenEmbedded(typeof(KernelApiCounter).Assembly, resource);
        }
        catch (BpfException ex)
        {
            throw new BpfUnavailableException($"{ex.Message}. API calls counted in the kernel need it");
        }
        try
        {
            _object.Load();
            _records = new BpfRingBuffer(_object.Map("api_calls"), OnRecord);
        }
        catch (BpfException ex)
        {
            _object.Dispose();
            throw new BpfUnavailableException($"{ex.Message}. API calls counted in the kernel need it");
        }
    }

    /// <summary>Follows the process <paramref name="pid"/> and the processes it forks: counted from its exec, or at
    /// once when <paramref name="armed"/> (an in-process capture).</summary>
    internal void Track(int pid, bool armed) => _object.Map("api_tgids").Update((uint)pid, armed ? 1u : 0u);

    /// <summary>Attaches the tracepoint programs and starts reading the ring buffer; the probes' programs come with
    /// <see cref="AttachProbes"/>.</summary>
    /// <exception cref="BpfUnavailableException">When the kernel refuses an attachment.</exception>
    internal void Attach()
    {
        try
        {
            foreach (string program in Tracepoints)
            {
                _object.AttachAuto(program);
            }
        }
        catch (BpfException ex)
        {
            _object.Detach();
            throw new BpfUnavailableException($"{ex.Message}. API calls counted in the kernel need it");
        }
        _reader = new Thread(() =>
        {
            // The programs write without waking the reader (a wake-up is an irq_work a call), so the poll only waits:
            // the reader looks every 20 ms.
            while (!_stop)
            {
                _records.Poll(20);
                _records.Consume();
            }
        }) { IsBackground = true, Name = "gpuosspec-api" };
        _reader.Start();
    }

    /// <summary>
    /// Attaches the entry and return programs to one perf event of each function's tracefs entry and return uprobe
    /// (<paramref name="events"/>: the function's index, whether the event is the return probe's, its fd), with the
    /// function's index as the bpf cookie. A program on a probe's event joins the probe's program array, so it runs for
    /// every hit that any of the probe's perf events lets through: those of the traced threads and of every process
    /// they fork (inherited events), and no other. The events must not be inherited ones (PerfCapture says why), and
    /// stay the caller's to close, after <see cref="Finish"/>.
    /// </summary>
    /// <exception cref="BpfUnavailableException">When the kernel refuses an attachment (a kernel without BPF links on
    /// perf events, before Linux 5.15).</exception>
    internal void AttachProbes(IEnumerable<(int Function, bool Return, int Fd)> events)
    {
        try
        {
            foreach (var (function, isReturn, fd) in events)
            {
                _object.AttachPerfEvent(isReturn ? ReturnProgram : EntryProgram, fd, (ulong)function);
            }
        }
        catch (BpfException ex)
        {
            _object.Detach();
            throw new BpfUnavailableException($"{ex.Message}. API calls counted in the kernel need it");
        }
    }

    private void OnRecord(byte[] record)
    {
        if (KernelApiRecord.Read(record) is { } r)
        {
            _read.Add(r);
        }
        else
        {
            _unreadable++;
        }
    }

    /// <summary>
    /// Ends counting and reads everything: detaches the programs, waits out any still running (a grace period), writes
    /// the calls still open in live threads (the api_flush iterator) unfinished, then reads the ring buffer's rest, the
    /// loss stats and the runs the kernel skipped. Call once the traced command has exited (or the session ended).
    /// </summary>
    internal KernelApiCapture Finish()
    {
        _stop = true;
        _reader?.Join();
        _object.Detach();
        if (_object.FlushAfterGracePeriod("api_flush") is not 0 and var errno)
        {
            throw new TracerException($"membarrier(MEMBARRIER_CMD_GLOBAL) failed ({ErrnoNames.Name(errno)}); the API calls still open cannot be read safely.");
        }
        _records.Consume();

        var (sums, unreadStats) = _object.Map("api_stats").SumPerCpu(LossStats.Select(s => s.Index).Append(CallsStat).Append(UnmatchedStat), CpuList.PossibleCount());
        long misses = 0;
        string? missesUnread = null;
        try
        {
            misses = Tracepoints.Append(EntryProgram).Append(ReturnProgram).Sum(_object.RecursionMisses);
        }
        catch (BpfException ex)
        {
            missesUnread = ex.Message;
        }
        // An unreadable loss stat is no loss of 0: it is reported, and counted, as the skipped runs are.
        if (unreadStats.Count > 0)
        {
            missesUnread = string.Join("; ", new[] { missesUnread, $"api_stats {string.Join(", ", unreadStats)} could not be read" }.OfType<string>());
        }
        var (lost, notes) = Losses(sums, _read.Count, _unreadable, misses, missesUnread);
        return new KernelApiCapture(_read, lost, notes);
    }

    /// <summary>
    /// What is missing: the loss stats (by api.h's api_stat index), records written but not read, records too short to
    /// read, and runs of the programs the kernel skipped (a skipped entry or return loses a call, a skipped syscall,
    /// switch or fault a count), or why those could not be read. Each is counted as lost, with a note; returns that
    /// matched no open call (a call begun before the capture) are noted, as the perf path notes them.
    /// </summary>
    internal static (long Lost, List<string> Notes) Losses(IReadOnlyDictionary<int, long> stats, long read, long unreadable, long recursionMisses, string? missesUnread)
    {
        var tally = new CounterLossTally("API counter");
        tally.AddStats(stats, LossStats);
        long unread = stats.GetValueOrDefault(CallsStat) - read - unreadable;
        tally.Add(unread, $"the kernel wrote {stats.GetValueOrDefault(CallsStat):N0} call record(s) but {read:N0} were read; the difference is counted as lost.");
        tally.Add(unreadable, $"{unreadable:N0} ring buffer record(s) were shorter than an api_call; they are counted as lost.");
        tally.AddSkippedRuns(recursionMisses, missesUnread, "an API entry, return, syscall, switch or fault");
        if (stats.GetValueOrDefault(UnmatchedStat) is > 0 and var unmatched)
        {
            tally.Notes.Add($"{unmatched:N0} API return(s) had no entry on their thread (the call began before the capture).");
        }
        return (tally.Lost, tally.Notes);
    }

    public void Dispose()
    {
        _stop = true;
        _reader?.Join();
        _records.Dispose();
        _object.Dispose();
    }
}
