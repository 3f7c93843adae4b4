using System.Buffers.Binary;
using System.Numerics;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Full mode's in-kernel half: eBPF programs on sys_enter and sys_exit join each syscall of the traced threads in the
/// kernel and write one record for it (both numbers, the arguments, the result, both times) to one BPF ring buffer for
/// the machine, which the capture's drain loop empties into <see cref="PerfCollector"/>. The programs are C
/// (src/GpuOsSpec.Tracing/Bpf/syscall_records.bpf.c, which says why each does what it does), compiled by the build and
/// embedded in this assembly, and loaded with libbpf.
/// </summary>
/// <remarks>
/// Pairing perf's sys_enter and sys_exit samples in user space costs two perf records a syscall, each through a per-CPU
/// buffer, and a merge; this costs one ring buffer record. Where the programs cannot load, full mode pairs the perf
/// samples as before and the trace says why.
/// </remarks>
internal sealed class SyscallRecorder : IDisposable
{
    /// <summary>The embedded object's manifest resource name (the csproj's EmbedBpfObjects target gives it).</summary>
    internal const string ObjectResource = "GpuOsSpec.Tracing.Bpf.syscall_records.bpf.o";

    /// <summary>A record's size in bytes (the C source's struct gos_rec_record).</summary>
    internal const int RecordSize = 96;

    /// <summary>The record's kind bits: it holds the entry, the exit, or both.</summary>
    internal const uint HasEnter = 1, HasExit = 2;

    private const uint StatLost = 0, StatUntracked = 1, StatUprobe = 2, StatUretprobe = 3;
    private const string FlushProgram = "gos_rec_flush";

    // The programs attached, each where its SEC() says.
    private static readonly string[] Programs = ["gos_rec_enter", "gos_rec_exit", "gos_rec_fork", "gos_rec_exec", "gos_rec_gone"];

    private readonly BpfObject _object;
    private readonly BpfRingBuffer _records;
    private readonly BpfMap _roots;
    private readonly BpfMap _on;
    private bool _attached;
    private bool _finished;

    /// <summary>The probes' own syscalls (uprobe, uretprobe) the kernel counted instead of recording, by name; read by
    /// <see cref="Finish"/>, empty before.</summary>
    internal Dictionary<string, long> ProbeSyscalls { get; } = [];

    /// <param name="bytes">The ring buffer's size: rounded up to a power of two of pages.</param>
    /// <param name="onRecord">Receives each record, on the thread that calls <see cref="Consume"/>.</param>
    /// <param name="resource">The embedded object; tests name one that does not exist.</param>
    /// <param name="library">The libbpf to check for; tests name one that does not exist.</param>
    /// <param name="btf">The kernel BTF to check for; tests name one that does not exist.</param>
    /// <exception cref="BpfUnavailableException">When libbpf, the kernel's BTF, the capabilities or the embedded object
    /// is missing, or the kernel refuses the programs; the message says which.</exception>
    internal SyscallRecorder(long bytes, Action<ReadOnlySpan<byte>> onRecord, string resource = ObjectResource,
        string library = Libbpf.LibraryName, string btf = BpfSupport.KernelBtf)
    {
        if (BpfSupport.Missing(library, btf) is { } missing)
        {
            throw new BpfUnavailableException($"{missing.Missing} (fix: {missing.Fix})");
        }
        try
        {
            _object = BpfObject.OpenEmbedded(typeof(SyscallRecorder).Assembly, resource);
        }
        catch (BpfException ex)
        {
            throw new BpfUnavailableException(ex.Message);
        }
        try
        {
            _object.SetMaxEntries("gos_rec_records", RingBytes(bytes));
            _object.Load();
            _records = new BpfRingBuffer(_object.Map("gos_rec_records"), onRecord);
            _roots = _object.Map("gos_rec_roots");
            _on = _object.Map("gos_rec_on");
        }
        catch (BpfException ex)
        {
            _object.Dispose();
            throw new BpfUnavailableException(ex.Message);
        }
    }

    /// <summary>The ring buffer's size for a request of <paramref name="bytes"/>: a power of two of pages, as the
    /// kernel requires, and at least one page.</summary>
    internal static uint RingBytes(long bytes)
    {
        long page = Environment.SystemPageSize;
        long size = (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(bytes, page));
        return (uint)Math.Min(size, 1L << 30);
    }

    /// <summary>Records the thread <paramref name="tid"/> of process <paramref name="pid"/> and every thread or process
    /// it creates from now on: at once when <paramref name="armedNow"/>, else from its exec.</summary>
    internal void Track(int pid, int tid, bool armedNow) => _roots.Update((uint)tid, ((ulong)(uint)pid << 32) | (armedNow ? 1UL : 0UL));

    /// <summary>Attaches the programs (once).</summary>
    /// <exception cref="BpfUnavailableException">When the kernel refuses an attachment.</exception>
    internal void Attach()
    {
        if (_attached)
        {
            return;
        }
        try
        {
            foreach (string program in Programs)
            {
                _object.AttachAuto(program);
            }
        }
        catch (BpfException ex)
        {
            _object.Detach();
            throw new BpfUnavailableException(ex.Message);
        }
        _attached = true;
    }

    /// <summary>Starts (or stops) writing records, as enabling (or disabling) a perf event does.</summary>
    internal void Enable(bool on) => _on.Update(0u, on ? 1u : 0u);

    /// <summary>An fd that polls readable when the programs woke the reader.</summary>
    internal int EpollFd => _records.EpollFd;

    /// <summary>Hands every record there now to the handler.</summary>
    internal void Consume() => _records.Consume();

    /// <summary>
    /// Ends recording: switches the programs off, waits out any still running (a grace period), writes the entries of
    /// threads still in a call (the flush iterator), and hands the rest of the buffer to the handler. Returns what was
    /// lost: records the buffer had no room for, threads that could not be followed, and runs of the programs the
    /// kernel skipped (recursion_misses), each with a note; or, when those runs cannot be read, 1 and why. Runs once.
    /// </summary>
    internal (long Lost, List<string> Notes) Finish()
    {
        var notes = new List<string>();
        if (_finished)
        {
            return (0, notes);
        }
        _finished = true;
        Enable(false);
        long lost = 0;
        if (_object.FlushAfterGracePeriod(FlushProgram) is not 0 and var errno)
        {
            lost++;
            notes.Add($"full mode: membarrier(MEMBARRIER_CMD_GLOBAL) failed ({ErrnoNames.Name(errno)}), so the calls still open at the end could not be read safely; this is counted as 1 lost.");
        }
        _records.Consume();
        var stats = _object.Map("gos_rec_stats");
        int cpus = CpuList.PossibleCount();
        // An unreadable stat is no count of 0: it counts as 1 lost, with a note.
        long Stat(uint index)
        {
            if (stats.SumPerCpu(index, cpus) is { } sum)
            {
                return sum;
            }
            lost++;
            notes.Add($"full mode: the recorder's stat {index} (gos_rec_stats) could not be read; this is counted as 1 lost.");
            return 0;
        }
        ProbeSyscalls["uprobe"] = Stat(StatUprobe);
        ProbeSyscalls["uretprobe"] = Stat(StatUretprobe);
        long full = Stat(StatLost);
        if (full > 0)
        {
            lost += full;
            notes.Add($"full mode: {full:N0} syscall record(s) were lost because the kernel's ring buffer was full ({RingSize() / 1024:N0} KiB; a larger --buffer-pages gives it more room).");
        }
        long untracked = Stat(StatUntracked);
        if (untracked > 0)
        {
            lost += untracked;
            notes.Add($"full mode: {untracked:N0} thread(s) of the traced tree could not be followed (the kernel could not make their task storage); their syscalls are missing and counted as lost.");
        }
        try
        {
            long misses = Programs.Sum(_object.RecursionMisses);
            if (misses > 0)
            {
                lost += misses;
                notes.Add($"full mode: the kernel skipped {misses:N0} run(s) of the syscall record programs (recursion_misses: the program was already running on that CPU), each a syscall entry, exit, fork, exec or exit not recorded; they are counted as lost.");
            }
        }
        catch (BpfException ex)
        {
            lost++;
            notes.Add($"full mode: the runs the kernel skipped could not be read ({ex.Message}), so the records cannot be known complete; this is counted as 1 lost.");
        }
        return (lost, notes);
    }

    private uint RingSize() => _object.Map("gos_rec_records").MaxEntries;

    public void Dispose()
    {
        _records.Dispose();
        _object.Dispose();
    }
}
