using System.Buffers.Binary;
using System.Text;
using MarkerRecord = GpuOsSpec.Tracing.Sources.Perf.MarkerRecord;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Parses drained perf records: pairs syscall entries with exits per thread, and keeps context switches, faults,
/// thread births and names, and lost-event counts.
/// </summary>
internal sealed class PerfCollector : PerfRecordSink
{
    private readonly Dictionary<ulong, PerfEventKind> _kinds;
    private readonly int _prevStateOffset;
    private readonly int _prevStateSize;
    private readonly Dictionary<int, RawSyscall>[] _pending;
    // open and dup return a new fd: name it while it is still open.
    private readonly HashSet<int> _fdReturning;
    private readonly FdTable _fds;
    private readonly int _close;
    private readonly int _uprobe;
    private readonly HashSet<int> _exec;

    internal PerfCollector(Dictionary<ulong, PerfEventKind> kinds, TracepointFormat switchFormat, int cpus, FdTable fds, SyscallTable table)
    {
        _kinds = kinds;
        _prevStateOffset = switchFormat.Offset("prev_state");
        _prevStateSize = switchFormat.Size("prev_state");
        _pending = Enumerable.Range(0, cpus).Select(_ => new Dictionary<int, RawSyscall>(64)).ToArray();
        _fds = fds;
        _fdReturning = FileOpens.Names.Concat(["dup", "dup2", "dup3"]).Select(table.Number).OfType<int>().ToHashSet();
        _close = table.Number("close") ?? -1;
        _uprobe = table.Number("uprobe") ?? int.MinValue;
        _exec = new[] { "execve", "execveat" }.Select(table.Number).OfType<int>().ToHashSet();
    }

    // Storage is taken up front, before the capture starts: a list that grew while it ran would allocate on the managed
    // heap, and a garbage collection the tracer caused would stop the traced threads (a futex each) inside their
    // phases.
    internal List<RawSyscall> Syscalls { get; } = new(16_384);
    internal List<RawSyscall> OrphanEnters { get; } = [];
    internal List<RawSyscall> OrphanExits { get; } = [];
    internal List<ContextSwitchEvent> Switches { get; } = new(8_192);
    internal List<PageFaultEvent> Faults { get; } = new(4_096);
    internal Dictionary<int, (int Pid, string Name)> Names { get; } = new(256);

    /// <summary>Successful execs: the process, the thread the exec returned on, and the time of the return.</summary>
    internal List<(int Pid, int Tid, long TimeNs)> Execs { get; } = [];
    internal List<(int Pid, int Tid, int ParentTid, long TimeNs)> Forks { get; } = [];

    /// <summary>Threads arriving on (In) and leaving a CPU, from the switch records; Runnable when it left still
    /// runnable.</summary>
    internal List<(int Tid, long TimeNs, bool In, bool Runnable)> CpuEdges { get; } = new(16_384);

    /// <summary>Thread exits.</summary>
    internal List<(int Tid, long TimeNs)> Exits { get; } = [];

    /// <summary>Each thread's first sample: for a command, whose events start at its exec, when its events
    /// began.</summary>
    internal Dictionary<int, long> FirstSampleNs { get; } = new(256);
    internal long Lost { get; private set; }

    /// <summary>Exit records seen per syscall number.</summary>
    internal Dictionary<int, long> ExitsSeen { get; } = [];
    internal long Unparsed { get; private set; }

    /// <summary>gpuos markers read from the uprobe samples, and probe hits whose record could not be read.</summary>
    internal List<MarkerRecord> Markers { get; } = [];
    internal long UnreadMarkers { get; private set; }

    /// <summary>Perf sample id to the probed API function, when API calls are probed.</summary>
    internal Dictionary<ulong, int>? ApiTags { get; init; }

    /// <summary>API probe hits: thread, time, function index, and whether it is the return.</summary>
    internal List<(int Tid, long TimeNs, int Function, bool Return)> ApiHits { get; } = [];

    /// <summary>The marker probe's record layout, when markers are read.</summary>
    internal TracepointFormat? MarkerFormat { get; init; }

    /// <summary>The thread each per-thread event was opened on, by its id.</summary>
    internal IReadOnlyDictionary<ulong, int>? EventOwners { get; init; }

    /// <summary>The threads events were opened on.</summary>
    internal IReadOnlyCollection<int>? AttachedTids { get; init; }

    // When each thread's exit was recorded: a thread given the same number later is another thread.
    private readonly Dictionary<int, long> _exited = [];

    // A thread born from an attached thread while an in-process capture opens its events inherits its creator's, and
    // the next pass over the process's threads attaches it too: each of its events then fires twice, once through its
    // own event and once through the inherited copy, whose records carry the creator's event id (PERF_SAMPLE_IDENTIFIER
    // names the parent event). Both copies are enabled before the capture window opens, so its own events hold all of
    // it and the inherited copies are dropped: up to its exit, since a thread given its number after that (the kernel's
    // numbers wrapped) is another thread, which has only inherited events.
    private bool InheritedTwice(ulong id, int tid, long timeNs) =>
        EventOwners is not null && EventOwners.TryGetValue(id, out int owner) && owner != tid && AttachedTids!.Contains(tid)
        && !(_exited.TryGetValue(tid, out long exitNs) && timeNs > exitNs);

    internal override void OnRecord(uint type, ReadOnlySpan<byte> r, int cpu)
    {
        switch (type)
        {
            case PerfConstants.RecordSample:
                OnSample(r, cpu);
                break;
            case PerfConstants.RecordLost:
                Lost += (long)BinaryPrimitives.ReadUInt64LittleEndian(r[16..]);
                break;
            case PerfConstants.RecordLostSamples:
                Lost += (long)BinaryPrimitives.ReadUInt64LittleEndian(r[8..]);
                break;
            case PerfConstants.RecordComm:
            {
                int pid = BinaryPrimitives.ReadInt32LittleEndian(r[8..]);
                int tid = BinaryPrimitives.ReadInt32LittleEndian(r[12..]);
                var name = r[16..];
                int end = name.IndexOf((byte)0);
                Names[tid] = (pid, Encoding.UTF8.GetString(end < 0 ? name : name[..end]));
                break;
            }
            case PerfConstants.RecordFork:
            {
                int pid = BinaryPrimitives.ReadInt32LittleEndian(r[8..]);
                int tid = BinaryPrimitives.ReadInt32LittleEndian(r[16..]);
                int ptid = BinaryPrimitives.ReadInt32LittleEndian(r[20..]);
                long time = BinaryPrimitives.ReadInt64LittleEndian(r[24..]);
                Forks.Add((pid, tid, ptid, time));
                break;
            }
            case PerfConstants.RecordExit:
            {
                int tid = BinaryPrimitives.ReadInt32LittleEndian(r[16..]);
                long time = BinaryPrimitives.ReadInt64LittleEndian(r[24..]);
                Exits.Add((tid, time));
                _exited[tid] = Math.Max(time, _exited.GetValueOrDefault(tid));
                break;
            }
            case PerfConstants.RecordSwitch:
            {
                // Header, then sample_id (IDENTIFIER|TID|TIME|CPU): u32 pid, tid; u64 time; u32 cpu, res; u64
                // identifier.
                if (r.Length >= 40 && InheritedTwice(BinaryPrimitives.ReadUInt64LittleEndian(r[32..]), BinaryPrimitives.ReadInt32LittleEndian(r[12..]),
                    BinaryPrimitives.ReadInt64LittleEndian(r[16..])))
                {
                    break;
                }
                ushort misc = BinaryPrimitives.ReadUInt16LittleEndian(r[4..]);
                bool leaving = (misc & PerfConstants.MiscSwitchOut) != 0;
                CpuEdges.Add((BinaryPrimitives.ReadInt32LittleEndian(r[12..]), BinaryPrimitives.ReadInt64LittleEndian(r[16..]), !leaving,
                    leaving && (misc & PerfConstants.MiscSwitchOutPreempt) != 0));
                break;
            }
        }
    }

    // Sample layout (sample_type IDENTIFIER|TID|TIME[|ADDR]|CPU[|RAW]):
    // u64 identifier; u32 pid, tid; u64 time; [u64 addr]; u32 cpu, res; [u32 size; raw tracepoint record]
    private void OnSample(ReadOnlySpan<byte> r, int cpu)
    {
        ulong id = BinaryPrimitives.ReadUInt64LittleEndian(r[8..]);
        if (!_kinds.TryGetValue(id, out var kind))
        {
            Unparsed++;
            return;
        }
        int pid = BinaryPrimitives.ReadInt32LittleEndian(r[16..]);
        int tid = BinaryPrimitives.ReadInt32LittleEndian(r[20..]);
        long time = BinaryPrimitives.ReadInt64LittleEndian(r[24..]);
        if (InheritedTwice(id, tid, time))
        {
            return;
        }
        Seen(tid, time);
        if (kind is PerfEventKind.ApiEntry or PerfEventKind.ApiReturn)
        {
            ApiHits.Add((tid, time, ApiTags![id], kind == PerfEventKind.ApiReturn));
            return;
        }
        if (kind is PerfEventKind.FaultMinor or PerfEventKind.FaultMajor)
        {
            ulong addr = BinaryPrimitives.ReadUInt64LittleEndian(r[32..]);
            Faults.Add(new PageFaultEvent(tid, time, kind == PerfEventKind.FaultMajor, addr));
            return;
        }
        var raw = r[44..];
        if (kind == PerfEventKind.Marker)
        {
            if (MarkerFormat is { } format && MarkerRecord.Read(pid, tid, time, raw, format) is { } marker)
            {
                Markers.Add(marker);
            }
            else
            {
                UnreadMarkers++;
            }
            return;
        }
        if (kind == PerfEventKind.BpfSyscall)
        {
            // The eBPF programs lay their records out like the raw_syscalls ones, behind a marker: 1 entry, 2 exit.
            kind = raw[0] == 1 ? PerfEventKind.SysEnter : PerfEventKind.SysExit;
        }
        switch (kind)
        {
            case PerfEventKind.SysEnter:
            {
                var call = new RawSyscall
                {
                    Pid = pid,
                    Tid = tid,
                    Number = BinaryPrimitives.ReadInt32LittleEndian(raw[8..]),
                    EnterNs = time,
                    ExitNs = -1,
                    Args = ReadArgs(raw),
                };
                var pending = _pending[cpu];
                if (pending.Remove(tid, out var earlier))
                {
                    OrphanEnters.Add(earlier);
                }
                pending[tid] = call;
                break;
            }
            case PerfEventKind.SysExit:
            {
                int nr = BinaryPrimitives.ReadInt32LittleEndian(raw[8..]);
                long ret = BinaryPrimitives.ReadInt64LittleEndian(raw[16..]);
                bool entered = _pending[cpu].Remove(tid, out var call);
                Exit(pid, tid, nr, ret, time, entered, call);
                break;
            }
            case PerfEventKind.Switch:
            {
                long state = _prevStateSize == 4
                    ? BinaryPrimitives.ReadInt32LittleEndian(raw[_prevStateOffset..])
                    : BinaryPrimitives.ReadInt64LittleEndian(raw[_prevStateOffset..]);
                // TASK_REPORT states (S, D, T, t, X, Z, P, I) mean the thread blocked; 0 (R) or the preempt bit alone
                // mean it was still runnable: preempted or yielding. This is the kernel's own nvcsw/nivcsw split.
                Switches.Add(new ContextSwitchEvent(tid, time, (state & 0xFF) != 0, cpu));
                break;
            }
        }
    }

    /// <summary>Markers read by hybrid mode's phase counter instead of perf samples: kept as their samples would have
    /// been, and each counts as a sample of its thread.</summary>
    internal void AddMarkers(IEnumerable<MarkerRecord> markers)
    {
        foreach (var marker in markers)
        {
            Seen(marker.Tid, marker.TimeNs);
            Markers.Add(marker);
        }
    }

    /// <summary>
    /// One record of full mode's kernel-joined syscalls (<see cref="SyscallRecorder"/>; the layout is
    /// syscall_records.bpf.c's struct gos_rec_record): an entry and its exit, an exit alone, or an entry whose exit
    /// never came. Each half is handled as the perf sample of that half would be, so both ways give the same calls.
    /// </summary>
    internal void OnSyscallRecord(ReadOnlySpan<byte> r)
    {
        if (r.Length < SyscallRecorder.RecordSize)
        {
            Unparsed++;
            return;
        }
        int pid = BinaryPrimitives.ReadInt32LittleEndian(r[80..]);
        int tid = BinaryPrimitives.ReadInt32LittleEndian(r[84..]);
        uint kind = BinaryPrimitives.ReadUInt32LittleEndian(r[88..]);
        bool entered = (kind & SyscallRecorder.HasEnter) != 0;
        var call = default(RawSyscall);
        if (entered)
        {
            call = new RawSyscall
            {
                Pid = pid,
                Tid = tid,
                Number = BinaryPrimitives.ReadInt32LittleEndian(r[72..]),
                EnterNs = BinaryPrimitives.ReadInt64LittleEndian(r),
                ExitNs = -1,
                Args = ReadArgs(r[8..]),
            };
            Seen(tid, call.EnterNs);
        }
        if ((kind & SyscallRecorder.HasExit) == 0)
        {
            OrphanEnters.Add(call);
            return;
        }
        long exitNs = BinaryPrimitives.ReadInt64LittleEndian(r[8..]);
        Seen(tid, exitNs);
        Exit(pid, tid, BinaryPrimitives.ReadInt32LittleEndian(r[76..]), BinaryPrimitives.ReadInt64LittleEndian(r[16..]), exitNs, entered, call);
    }

    // A thread's events begin at its earliest one, whichever buffer it came through.
    private void Seen(int tid, long time)
    {
        if (!FirstSampleNs.TryGetValue(tid, out long first) || time < first)
        {
            FirstSampleNs[tid] = time;
        }
    }

    // The exit of syscall NR on TID, and the entry the thread was in (when ENTERED): paired when the numbers agree,
    // else both kept as orphans for the trace builder.
    private void Exit(int pid, int tid, int nr, long ret, long time, bool entered, RawSyscall call)
    {
        ExitsSeen[nr] = ExitsSeen.GetValueOrDefault(nr) + 1;
        if (ret == 0 && _exec.Contains(nr))
        {
            // Only a successful exec returns into the new image; its entry may be in another buffer or another
            // thread's (an exec from a non-leader thread returns on the leader's tid), so the exit alone counts.
            Execs.Add((pid, tid, time));
        }
        // An optimized uprobe's exit carries number -1 (its handler sets orig_ax so): it ends the uprobe entry.
        if (entered && (call.Number == nr || (nr == -1 && call.Number == _uprobe)))
        {
            call.ExitNs = time;
            call.Result = ret;
            Complete(call);
        }
        else
        {
            if (entered && call.EnterNs > 0)
            {
                OrphanEnters.Add(call);
            }
            OrphanExits.Add(new RawSyscall { Pid = pid, Tid = tid, Number = nr, EnterNs = -1, ExitNs = time, Result = ret });
        }
    }

    internal void Complete(RawSyscall call)
    {
        if (call.Result >= 0 && _fdReturning.Contains(call.Number))
        {
            _fds.Resolve(call.Pid, call.Result, call.EnterNs);
        }
        else if (call.Number == _close && call.Result == 0)
        {
            _fds.Closed(call.Pid, (int)call.Args.A0, call.EnterNs);
        }
        Syscalls.Add(call);
    }

    /// <summary>Moves every entry still waiting for its exit to the orphans (called once the buffers are drained for
    /// good).</summary>
    internal void FlushPending()
    {
        foreach (var pending in _pending)
        {
            OrphanEnters.AddRange(pending.Values);
            pending.Clear();
        }
    }

    private static SyscallArgs ReadArgs(ReadOnlySpan<byte> raw)
    {
        Span<ulong> a = stackalloc ulong[6];
        int available = Math.Min(6, (raw.Length - 16) / 8);
        for (int i = 0; i < available; i++)
        {
            a[i] = BinaryPrimitives.ReadUInt64LittleEndian(raw[(16 + i * 8)..]);
        }
        return new SyscallArgs(a[0], a[1], a[2], a[3], a[4], a[5]);
    }
}
