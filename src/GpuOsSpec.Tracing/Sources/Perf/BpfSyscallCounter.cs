using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Hybrid mode's in-kernel half, in the manner of bcc's syscount: eBPF programs on the sys_enter and sys_exit
/// tracepoints count every syscall of the traced process tree per number (and its failures) in a per-CPU array, and
/// hand the decode-set calls, with their arguments and results, to per-CPU perf buffers. Three more programs follow the
/// tree: fork adds the child, exec arms a process, so the launcher's own syscalls before exec are never counted, and a
/// process's last exit drops it. The programs are C (src/GpuOsSpec.Tracing/Bpf/syscall_counter.bpf.c, which says why
/// each does what it does), compiled by the build and embedded in this assembly, and loaded with libbpf. When hybrid
/// mode's phase counter runs, its sys_enter and sys_exit programs count into this one's maps (<see cref="SharedMaps"/>)
/// and this one's are not attached: a syscall then runs one program at each end, not two.
/// </summary>
/// <remarks>
/// Per-syscall tracepoint counters would do the counting too, but closing hundreds of tracepoints costs the kernel one
/// RCU grace period each, serialised: about 14 s per trace. This attaches to four tracepoints.
/// <para>
/// The programs are BTF tracepoints (tp_btf), attached where their sections say. They run straight from the
/// tracepoint, with no perf trace record built for them; a classic tracepoint program (one attached through a perf
/// event) reads that record, and building it was most of such a program's cost a syscall. The kernel ignores a tp_btf
/// program's return value. A classic tracepoint program's return value, by contrast, is shared by every perf user of
/// that tracepoint: the kernel (perf_trace_run_bpf_submit) drops the sample for all of them when any attached program
/// returns 0. When these programs were classic ones, returning 0 blinded every other capture on the machine, ours in
/// full mode and `perf stat` alike; a classic tracepoint program of ours returns 1.
/// </para>
/// </remarks>
internal sealed class BpfSyscallCounter : IDisposable
{
    /// <summary>The embedded object's manifest resource name (the csproj's EmbedBpfObjects target gives it).</summary>
    internal const string ObjectResource = "GpuOsSpec.Tracing.Bpf.syscall_counter.bpf.o";

    // The syscall_flags bits of the C source.
    private const uint FlagDecode = 1;
    private const uint FlagNoReturn = 2;

    // The C source's programs, each attached where its SEC() says; EnterProgram and ExitProgram only when no other
    // program counts the syscalls (Attach).
    private const string EnterProgram = "gos_enter";
    private const string ExitProgram = "gos_exit";
    private static readonly string[] Programs = [EnterProgram, ExitProgram, "gos_fork", "gos_exec", "gos_process_exit"];

    // The maps hybrid_counts.h declares in both objects, which the phase counter's object shares.
    private static readonly string[] Shared = ["syscall_flags", "counts", "events"];

    private readonly List<string> _attached = [];

    private readonly BpfObject _object;
    private readonly BpfMap _tgids;
    private readonly BpfMap _events;
    private readonly BpfMap _counts;
    private readonly int _maxSyscall;
    private readonly int _possibleCpus;

    /// <param name="decodeNumbers">Syscall numbers whose calls go to the perf buffers one by one.</param>
    /// <param name="noReturnNumbers">Syscalls counted at entry, since their sys_exit never comes with their own
    /// number: exit and exit_group, and rt_sigreturn.</param>
    /// <exception cref="BpfUnavailableException">When libbpf, the kernel's BTF, the capabilities or the embedded object
    /// is missing, or the kernel refuses the programs; the message has the fix.</exception>
    internal BpfSyscallCounter(IEnumerable<int> decodeNumbers, int[] noReturnNumbers)
        : this(decodeNumbers, noReturnNumbers, () => BpfObject.OpenEmbedded(typeof(BpfSyscallCounter).Assembly, ObjectResource))
    {
    }

    /// <param name="decodeNumbers">Syscall numbers whose calls go to the perf buffers one by one.</param>
    /// <param name="noReturnNumbers">Syscall numbers counted at entry.</param>
    /// <param name="open">Opens the object; tests open a file that does not exist.</param>
    /// <param name="library">The libbpf to check for; tests name one that does not exist.</param>
    /// <param name="btf">The kernel BTF to check for; tests name one that does not exist.</param>
    internal BpfSyscallCounter(IEnumerable<int> decodeNumbers, int[] noReturnNumbers, Func<BpfObject> open,
        string library = Libbpf.LibraryName, string btf = BpfSupport.KernelBtf)
    {
        if (BpfSupport.Missing(library, btf) is { } missing)
        {
            throw Unavailable(missing.Missing, missing.Fix);
        }
        _possibleCpus = CpuList.PossibleCount();
        try
        {
            _object = open();
        }
        catch (BpfException ex)
        {
            throw Unavailable(ex);
        }
        try
        {
            _object.Load();
            _tgids = _object.Map("tgids");
            _events = _object.Map("events");
            _counts = _object.Map("counts");
            var flags = _object.Map("syscall_flags");
            // The C source's MAX_SYSCALL, read back so it is written in one place.
            _maxSyscall = (int)flags.MaxEntries;
            var set = new Dictionary<int, uint>();
            foreach (int nr in decodeNumbers)
            {
                set[nr] = set.GetValueOrDefault(nr) | FlagDecode;
            }
            foreach (int nr in noReturnNumbers)
            {
                set[nr] = set.GetValueOrDefault(nr) | FlagNoReturn;
            }
            foreach (var (nr, bits) in set.Where(s => s.Key >= 0 && s.Key < _maxSyscall))
            {
                flags.Update((uint)nr, bits);
            }
        }
        catch (BpfException ex)
        {
            _object.Dispose();
            throw Unavailable(ex);
        }
    }

    /// <summary>Plugs the per-CPU perf event that receives <paramref name="cpu"/>'s decode-set records.</summary>
    internal void SetOutput(int cpu, int perfFd) => _events.Update((uint)cpu, (uint)perfFd);

    /// <summary>Adds the root process, unarmed until it execs.</summary>
    internal void Track(int pid) => _tgids.Update((uint)pid, 0u);

    /// <summary>The maps (by their name in hybrid_counts.h) that another object's sys_enter and sys_exit programs count
    /// into in this one's stead.</summary>
    internal IEnumerable<(string Name, BpfMap Map)> SharedMaps => Shared.Select(name => (name, _object.Map(name)));

    /// <summary>Attaches the programs to their BTF tracepoints; the sys_enter and sys_exit programs only when
    /// <paramref name="countSyscalls"/> (false: other programs count into <see cref="SharedMaps"/>).</summary>
    /// <exception cref="BpfUnavailableException">When the kernel refuses an attachment.</exception>
    internal void Attach(bool countSyscalls = true)
    {
        try
        {
            foreach (string program in Programs.Where(p => countSyscalls || (p != EnterProgram && p != ExitProgram)))
            {
                _object.AttachAuto(program);
                _attached.Add(program);
            }
        }
        catch (BpfException ex)
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>Calls and failures per syscall number, summed over CPUs.</summary>
    internal (long[] Calls, long[] Errors) Read()
    {
        var calls = new long[_maxSyscall];
        var errors = new long[_maxSyscall];
        var value = new byte[8 * _possibleCpus];
        for (uint key = 0; key < _maxSyscall * 2; key++)
        {
            if (!_counts.Lookup(key, value))
            {
                continue;
            }
            long sum = 0;
            for (int c = 0; c < _possibleCpus; c++)
            {
                sum += BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(c * 8));
            }
            if (key < _maxSyscall)
            {
                calls[key] = sum;
            }
            else
            {
                errors[key - _maxSyscall] = sum;
            }
        }
        return (calls, errors);
    }

    /// <summary>
    /// What the counts miss, read once counting is over: processes of the traced tree its process map had no room for
    /// (their syscalls were never counted), and runs of the attached programs the kernel skipped because the program
    /// was already running on that CPU (recursion_misses), or why those could not be read; see
    /// <see cref="Losses"/>.
    /// </summary>
    internal (long Lost, List<string> Notes) ReadLosses()
    {
        long? untrackedRead = _object.Map("counter_stats").SumPerCpu(0u, _possibleCpus);
        long untracked = untrackedRead ?? 0;
        long misses = 0;
        string? missesUnread = null;
        try
        {
            misses = _attached.Sum(_object.RecursionMisses);
        }
        catch (BpfException ex)
        {
            missesUnread = ex.Message;
        }
        // An unreadable stat is no count of 0: it is reported, and counted, as the skipped runs are.
        if (untrackedRead is null)
        {
            missesUnread = string.Join("; ", new[] { missesUnread, "counter_stats 0 could not be read" }.OfType<string>());
        }
        return Losses(untracked, misses, missesUnread);
    }

    /// <summary>
    /// Each of <paramref name="untracked"/> processes the counter could not follow, each of
    /// <paramref name="recursionMisses"/> program runs the kernel skipped (a syscall entry or exit, fork, exec or exit
    /// not counted), and, when <paramref name="missesUnread"/> says why the skipped runs could not be read, 1 more, is
    /// counted as lost, with a note.
    /// </summary>
    internal static (long Lost, List<string> Notes) Losses(long untracked, long recursionMisses, string? missesUnread)
    {
        long lost = 0;
        var notes = new List<string>();
        if (untracked > 0)
        {
            lost += untracked;
            notes.Add($"hybrid mode's syscall counter: {untracked:N0} process(es) of the traced tree could not be followed (its process map was full), so none of their syscalls were counted; each is counted as lost.");
        }
        if (recursionMisses > 0)
        {
            lost += recursionMisses;
            notes.Add($"hybrid mode's syscall counter: the kernel skipped {recursionMisses:N0} run(s) of its programs (recursion_misses: the program was already running on that CPU), each a syscall entry or exit, fork, exec or exit not counted; they are counted as lost.");
        }
        if (missesUnread is not null)
        {
            lost++;
            notes.Add($"hybrid mode's syscall counter: the runs the kernel skipped could not be read ({missesUnread}), so the counts cannot be known exact; this is counted as 1 lost.");
        }
        return (lost, notes);
    }

    private static BpfUnavailableException Unavailable(string missing, string fix) =>
        new($"{missing}. Fix: {fix}; or use --mode full.");

    private static BpfUnavailableException Unavailable(BpfException ex) => ex.IsPermission
        ? new($"{ex.Message}. Fix: run as root or grant CAP_BPF and CAP_PERFMON; or use --mode full.")
        : new($"{ex.Message}. Or use --mode full.");

    public void Dispose() => _object.Dispose();
}
