using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// Hybrid mode's in-kernel half, in the manner of bcc's syscount: eBPF programs on raw_syscalls count every syscall of
/// the traced process tree per number (and its failures) in a per-CPU array, and hand the decode-set calls, with their
/// arguments and results, to per-CPU perf buffers. Two more programs follow the tree: fork adds the child, exec arms a
/// process, so the launcher's own syscalls before exec are never counted.
/// </summary>
/// <remarks>
/// Per-syscall tracepoint counters would do the counting too, but closing hundreds of tracepoints costs the kernel one
/// RCU grace period each, serialised: about 14 s per trace. This registers four tracepoints.
/// <para>
/// Every program returns 1. A tracepoint program's return value is shared by every perf user of that tracepoint: the
/// kernel (perf_trace_run_bpf_submit) drops the sample for all of them when any attached program returns 0. Returning 0
/// here blinded every other capture on the machine, ours in full mode and `perf stat` alike.
/// </para>
/// </remarks>
internal sealed class BpfSyscallCounter : IDisposable
{
    internal const int MaxSyscall = 512;
    private const int MarkerEnter = 1;
    private const int MarkerExit = 2;
    // What each program returns: 1 lets the kernel deliver the tracepoint's sample to other perf users (see remarks).
    internal const int PassSample = 1;
    private readonly List<int> _fds = [];
    private readonly int _tgids;
    private readonly int _decode;
    private readonly int _counts;
    private readonly int _events;
    private readonly int _possibleCpus;

    private readonly int[] _noReturn;

    /// <param name="decodeNumbers">Syscall numbers whose calls go to the perf buffers one by one.</param>
    /// <param name="noReturnNumbers">exit and exit_group, which never reach sys_exit and so are counted at
    /// entry.</param>
    /// <param name="maxCpu">The highest online CPU number.</param>
    internal BpfSyscallCounter(IEnumerable<int> decodeNumbers, int[] noReturnNumbers, int maxCpu)
    {
        _noReturn = noReturnNumbers;
        _possibleCpus = CpuList.PossibleCount();
        _tgids = CreateMap(1, 4, 4, 65536, "gos_tgids");
        _decode = CreateMap(2, 4, 4, MaxSyscall, "gos_decode");
        _counts = CreateMap(6, 4, 8, MaxSyscall * 2, "gos_counts");
        _events = CreateMap(4, 4, 4, (uint)(maxCpu + 1), "gos_events");
        foreach (int nr in decodeNumbers.Where(n => n is >= 0 and < MaxSyscall))
        {
            Update(_decode, (uint)nr, 1u);
        }
    }

    /// <summary>Plugs the per-CPU perf event that receives <paramref name="cpu"/>'s decode-set records.</summary>
    internal void SetOutput(int cpu, int perfFd) => Update(_events, (uint)cpu, (uint)perfFd);

    /// <summary>Adds the root process, unarmed until it execs.</summary>
    internal void Track(int pid) => Update(_tgids, (uint)pid, 0u);

    /// <summary>Loads the programs and attaches them to their tracepoints.</summary>
    internal void Attach(TracepointFormat forkFormat)
    {
        AttachProgram(EnterProgram(), "raw_syscalls", "sys_enter", "gos_enter");
        AttachProgram(ExitProgram(), "raw_syscalls", "sys_exit", "gos_exit");
        AttachProgram(ForkProgram((short)forkFormat.Offset("child_pid")), "sched", "sched_process_fork", "gos_fork");
        AttachProgram(ExecProgram(), "sched", "sched_process_exec", "gos_exec");
    }

    /// <summary>Calls and failures per syscall number, summed over CPUs.</summary>
    internal (long[] Calls, long[] Errors) Read()
    {
        var calls = new long[MaxSyscall];
        var errors = new long[MaxSyscall];
        var value = new byte[8 * _possibleCpus];
        for (uint key = 0; key < MaxSyscall * 2; key++)
        {
            if (!Lookup(_counts, key, value))
            {
                continue;
            }
            long sum = 0;
            for (int c = 0; c < _possibleCpus; c++)
            {
                sum += BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(c * 8));
            }
            if (key < MaxSyscall)
            {
                calls[key] = sum;
            }
            else
            {
                errors[key - MaxSyscall] = sum;
            }
        }
        return (calls, errors);
    }

    // ctx: raw_syscalls:sys_enter { common 8 bytes; long id @8; unsigned long args[6] @16 }
    private byte[] EnterProgram()
    {
        var a = new BpfAssembler();
        a.MovReg(BpfAssembler.R6, BpfAssembler.R1);
        ArmedProcessOrExit(a);
        a.LoadDw(BpfAssembler.R7, BpfAssembler.R6, 8)
            .JumpIfGreaterUnsigned(BpfAssembler.R7, MaxSyscall - 1, "out");
        for (int i = 0; i < _noReturn.Length; i++)
        {
            string next = $"not_noreturn_{i}";
            a.JumpIfNotEqual(BpfAssembler.R7, _noReturn[i], next)
                .StoreW(BpfAssembler.R10, -8, BpfAssembler.R7);
            Increment(a, "out");
            a.MovImm(BpfAssembler.R0, PassSample).Exit().Label(next);
        }
        InDecodeSetOrExit(a);
        a.StoreImmDw(BpfAssembler.R10, -64, MarkerEnter)
            .StoreDw(BpfAssembler.R10, -56, BpfAssembler.R7);
        for (short i = 0; i < 6; i++)
        {
            a.LoadDw(BpfAssembler.R1, BpfAssembler.R6, (short)(16 + i * 8))
                .StoreDw(BpfAssembler.R10, (short)(-48 + i * 8), BpfAssembler.R1);
        }
        Output(a, -64, 64);
        return a.Label("out").MovImm(BpfAssembler.R0, PassSample).Exit().Build();
    }

    // ctx: raw_syscalls:sys_exit { common 8 bytes; long id @8; long ret @16 }
    private byte[] ExitProgram()
    {
        var a = new BpfAssembler();
        a.MovReg(BpfAssembler.R6, BpfAssembler.R1);
        ArmedProcessOrExit(a);
        a.LoadDw(BpfAssembler.R7, BpfAssembler.R6, 8)
            .JumpIfGreaterUnsigned(BpfAssembler.R7, MaxSyscall - 1, "out")
            .LoadDw(BpfAssembler.R8, BpfAssembler.R6, 16)
            .StoreW(BpfAssembler.R10, -8, BpfAssembler.R7);
        Increment(a, "counted");
        a.Label("counted")
            .JumpIfGreaterSigned(BpfAssembler.R8, -1, "no_error")
            .JumpIfLessSigned(BpfAssembler.R8, -4095, "no_error")
            .MovReg(BpfAssembler.R1, BpfAssembler.R7)
            .AddImm(BpfAssembler.R1, MaxSyscall)
            .StoreW(BpfAssembler.R10, -8, BpfAssembler.R1);
        Increment(a, "no_error");
        a.Label("no_error");
        InDecodeSetOrExit(a);
        a.StoreImmDw(BpfAssembler.R10, -24, MarkerExit)
            .StoreDw(BpfAssembler.R10, -16, BpfAssembler.R7)
            .StoreDw(BpfAssembler.R10, -8, BpfAssembler.R8);
        Output(a, -24, 24);
        return a.Label("out").MovImm(BpfAssembler.R0, PassSample).Exit().Build();
    }

    // ctx: sched:sched_process_fork; the forking task is current. The child inherits the parent's armed state.
    private byte[] ForkProgram(short childPidOffset)
    {
        var a = new BpfAssembler();
        a.MovReg(BpfAssembler.R6, BpfAssembler.R1)
            .Call(BpfAssembler.HelperGetCurrentPidTgid)
            .RshImm(BpfAssembler.R0, 32)
            .StoreW(BpfAssembler.R10, -4, BpfAssembler.R0)
            .LoadMap(BpfAssembler.R1, _tgids)
            .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -4)
            .Call(BpfAssembler.HelperMapLookup)
            .JumpIfEqual(BpfAssembler.R0, 0, "out")
            .LoadW(BpfAssembler.R1, BpfAssembler.R0, 0)
            .StoreW(BpfAssembler.R10, -12, BpfAssembler.R1)
            .LoadW(BpfAssembler.R1, BpfAssembler.R6, childPidOffset)
            .StoreW(BpfAssembler.R10, -8, BpfAssembler.R1)
            .LoadMap(BpfAssembler.R1, _tgids)
            .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -8)
            .MovReg(BpfAssembler.R3, BpfAssembler.R10).AddImm(BpfAssembler.R3, -12)
            .MovImm(BpfAssembler.R4, 0)
            .Call(BpfAssembler.HelperMapUpdate);
        return a.Label("out").MovImm(BpfAssembler.R0, PassSample).Exit().Build();
    }

    // sched:sched_process_exec: a tracked process that execs is armed.
    private byte[] ExecProgram()
    {
        var a = new BpfAssembler();
        a.Call(BpfAssembler.HelperGetCurrentPidTgid)
            .RshImm(BpfAssembler.R0, 32)
            .StoreW(BpfAssembler.R10, -4, BpfAssembler.R0)
            .LoadMap(BpfAssembler.R1, _tgids)
            .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -4)
            .Call(BpfAssembler.HelperMapLookup)
            .JumpIfEqual(BpfAssembler.R0, 0, "out")
            .StoreImmW(BpfAssembler.R0, 0, 1);
        return a.Label("out").MovImm(BpfAssembler.R0, PassSample).Exit().Build();
    }

    private void ArmedProcessOrExit(BpfAssembler a) => a
        .Call(BpfAssembler.HelperGetCurrentPidTgid)
        .RshImm(BpfAssembler.R0, 32)
        .StoreW(BpfAssembler.R10, -4, BpfAssembler.R0)
        .LoadMap(BpfAssembler.R1, _tgids)
        .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -4)
        .Call(BpfAssembler.HelperMapLookup)
        .JumpIfEqual(BpfAssembler.R0, 0, "out")
        .LoadW(BpfAssembler.R1, BpfAssembler.R0, 0)
        .JumpIfNotEqual(BpfAssembler.R1, 1, "out");

    // Expects the syscall number in R7; clobbers R0-R5.
    private void InDecodeSetOrExit(BpfAssembler a) => a
        .StoreW(BpfAssembler.R10, -8, BpfAssembler.R7)
        .LoadMap(BpfAssembler.R1, _decode)
        .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -8)
        .Call(BpfAssembler.HelperMapLookup)
        .JumpIfEqual(BpfAssembler.R0, 0, "out")
        .LoadW(BpfAssembler.R1, BpfAssembler.R0, 0)
        .JumpIfEqual(BpfAssembler.R1, 0, "out");

    // counts[key at fp-8] += 1; jumps to <paramref name="skip"/> when the key is out of range.
    private void Increment(BpfAssembler a, string skip) => a
        .LoadMap(BpfAssembler.R1, _counts)
        .MovReg(BpfAssembler.R2, BpfAssembler.R10).AddImm(BpfAssembler.R2, -8)
        .Call(BpfAssembler.HelperMapLookup)
        .JumpIfEqual(BpfAssembler.R0, 0, skip)
        .LoadDw(BpfAssembler.R1, BpfAssembler.R0, 0)
        .AddImm(BpfAssembler.R1, 1)
        .StoreDw(BpfAssembler.R0, 0, BpfAssembler.R1);

    private void Output(BpfAssembler a, short offset, int size) => a
        .MovReg(BpfAssembler.R1, BpfAssembler.R6)
        .LoadMap(BpfAssembler.R2, _events)
        .LoadImm64(BpfAssembler.R3, 0xFFFFFFFFL)
        .MovReg(BpfAssembler.R4, BpfAssembler.R10).AddImm(BpfAssembler.R4, offset)
        .MovImm(BpfAssembler.R5, size)
        .Call(BpfAssembler.HelperPerfEventOutput);

    private void AttachProgram(byte[] code, string system, string name, string programName)
    {
        int prog = Load(code, programName);
        int id = Tracefs.EventId(system, name) ?? throw new TracerException($"The tracepoint {system}:{name} is missing. Fix: {Tracefs.MountFix}.");
        var attr = new PerfEventAttr
        {
            Type = PerfConstants.TypeTracepoint,
            Size = PerfEventAttr.SizeVer5,
            Config = (ulong)id,
            // A counting event: the program does the work, and a sampling event without a buffer would pay for a
            // failed sample write on every syscall of the machine once the programs let samples through.
            SamplePeriod = 0,
        };
        int fd = Libc.PerfEventOpen(ref attr, -1, 0, -1, PerfConstants.FlagFdCloexec);
        if (fd < 0)
        {
            throw PerfCapture.OpenFailure($"{system}:{name}", Marshal.GetLastPInvokeError());
        }
        _fds.Add(fd);
        if (Libc.Ioctl(fd, PerfConstants.IocSetBpf, prog) != 0 || Libc.Ioctl(fd, PerfConstants.IocEnable, 0) != 0)
        {
            throw new BpfUnavailableException($"Attaching the eBPF syscall counter to {system}:{name} failed ({ErrnoNames.Name(Marshal.GetLastPInvokeError())}).");
        }
    }

    private int Load(byte[] code, string name)
    {
        byte[] license = "GPL\0"u8.ToArray();
        var log = new byte[64 * 1024];
        unsafe
        {
            fixed (byte* insns = code)
            fixed (byte* lic = license)
            fixed (byte* logBuf = log)
            {
                var attr = new BpfProgLoadAttr
                {
                    ProgType = 5, // BPF_PROG_TYPE_TRACEPOINT
                    InsnCount = (uint)(code.Length / 8),
                    Insns = (ulong)insns,
                    License = (ulong)lic,
                    LogLevel = 1,
                    LogSize = (uint)log.Length,
                    LogBuf = (ulong)logBuf,
                };
                Encoding.ASCII.GetBytes(name, new Span<byte>(attr.ProgName, 15));
                int fd = Libc.Bpf(Libc.BPF_PROG_LOAD, ref attr);
                if (fd < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    string verifier = Encoding.ASCII.GetString(log).TrimEnd('\0').Trim();
                    throw new BpfUnavailableException($"The kernel refused the eBPF syscall counter {name} ({ErrnoNames.Name(errno)})" +
                        (errno is Errno.EPERM or Errno.EACCES ? ". Fix: run as root or grant CAP_BPF and CAP_PERFMON; or use --mode full." : $": {Tail(verifier)}"));
                }
                _fds.Add(fd);
                return fd;
            }
        }
    }

    private static string Tail(string text) => text.Length > 600 ? "…" + text[^600..] : text;

    private unsafe int CreateMap(uint type, uint keySize, uint valueSize, uint maxEntries, string name)
    {
        var attr = new BpfMapCreateAttr { MapType = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries };
        Encoding.ASCII.GetBytes(name, new Span<byte>(attr.MapName, 15));
        int fd = Libc.Bpf(Libc.BPF_MAP_CREATE, ref attr);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new BpfUnavailableException($"bpf(BPF_MAP_CREATE {name}) failed ({ErrnoNames.Name(errno)}). Fix: run as root or grant CAP_BPF; or use --mode full.");
        }
        _fds.Add(fd);
        return fd;
    }

    private static unsafe void Update(int map, uint key, uint value)
    {
        var attr = new BpfMapElemAttr { MapFd = (uint)map, Key = (ulong)&key, Value = (ulong)&value };
        if (Libc.Bpf(Libc.BPF_MAP_UPDATE_ELEM, ref attr) != 0)
        {
            throw new TracerException($"bpf(BPF_MAP_UPDATE_ELEM) failed ({ErrnoNames.Name(Marshal.GetLastPInvokeError())}).");
        }
    }

    private static unsafe bool Lookup(int map, uint key, byte[] value)
    {
        fixed (byte* v = value)
        {
            var attr = new BpfMapElemAttr { MapFd = (uint)map, Key = (ulong)&key, Value = (ulong)v };
            return Libc.Bpf(Libc.BPF_MAP_LOOKUP_ELEM, ref attr) == 0;
        }
    }

    public void Dispose()
    {
        foreach (int fd in _fds)
        {
            Libc.Close(fd);
        }
        _fds.Clear();
    }
}
