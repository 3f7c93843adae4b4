using System.Buffers.Binary;
using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Export;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Platform.Tracepoints;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Sources.Strace;

namespace GpuOsSpec.Tracing.Tests.Export;

/// <summary>
/// A stored run (strace's output in Data/: three threads, a signal, calls left open) replayed into full mode's
/// collector both ways: as perf's sys_enter and sys_exit samples, and as the kernel-joined records of
/// syscall_records.bpf.c. The trace built from each exports the same bytes, JSON and Perfetto.
/// </summary>
public class KernelJoinedStoredRunTests
{
    private const ulong EnterId = 1, ExitId = 2;

    // No such process exists (above any pid_max), so no fd is named from a live /proc on either side.
    private const int Pid = 0x3FFFFFF0;

    [Theory]
    [InlineData("json")]
    [InlineData("perfetto")]
    public void The_kernel_joined_records_export_the_same_bytes_as_the_paired_perf_samples(string format)
    {
        var calls = Stored();

        string paired = Export(Build(FromPerfSamples(calls)), format);
        string joined = Export(Build(FromKernelRecords(calls)), format);

        calls.Should().Contain(c => c.ExitNs < 0, "the stored run has calls left open, which both ways must keep");
        paired.Should().Contain("getppid");
        joined.Should().Be(paired);
    }

    private static List<RawSyscall> Stored()
    {
        var capture = new StraceCapture();
        capture.ReadFile(Path.Combine(Support.NativePrograms.TestDirectory, "Data", "strace-threads-signal.txt"), 4989, 0);
        return capture.Syscalls.Select(c => c with { Pid = Pid }).ToList();
    }

    private static PerfCollector Collector(FdTable fds)
    {
        var kinds = new Dictionary<ulong, PerfEventKind> { [EnterId] = PerfEventKind.SysEnter, [ExitId] = PerfEventKind.SysExit };
        var switchFormat = TracepointFormat.Parse("\tfield:long prev_state;\toffset:24;\tsize:8;\tsigned:1;\n");
        return new PerfCollector(kinds, switchFormat, 1, fds, SyscallTable.Current);
    }

    // Each call's entry and exit as perf samples on one CPU, in time order; a call left open has its entry only.
    private static (PerfCollector, FdTable) FromPerfSamples(List<RawSyscall> calls)
    {
        var fds = new FdTable();
        var collector = Collector(fds);
        var samples = calls.Select(c => (Time: c.EnterNs, Exit: false, Call: c))
            .Concat(calls.Where(c => c.ExitNs >= 0).Select(c => (Time: c.ExitNs, Exit: true, Call: c)))
            .OrderBy(s => s.Time).ThenBy(s => s.Exit);
        foreach (var (time, exit, call) in samples)
        {
            var raw = new byte[64];
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8), call.Number);
            if (exit)
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(16), call.Result);
            }
            else
            {
                var a = call.Args;
                ulong[] args = [a.A0, a.A1, a.A2, a.A3, a.A4, a.A5];
                for (int i = 0; i < 6; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(16 + 8 * i), args[i]);
                }
            }
            var r = new byte[44 + raw.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(r, PerfConstants.RecordSample);
            BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), exit ? ExitId : EnterId);
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(16), call.Pid);
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(20), call.Tid);
            BinaryPrimitives.WriteInt64LittleEndian(r.AsSpan(24), time);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(40), (uint)raw.Length);
            raw.CopyTo(r.AsSpan(44));
            collector.OnRecord(PerfConstants.RecordSample, r, 0);
        }
        collector.FlushPending();
        return (collector, fds);
    }

    // One record per call, in the order the exits committed them; a call left open is written by the flush at the end.
    private static (PerfCollector, FdTable) FromKernelRecords(List<RawSyscall> calls)
    {
        var fds = new FdTable();
        var collector = Collector(fds);
        foreach (var call in calls.Where(c => c.ExitNs >= 0).OrderBy(c => c.ExitNs).Concat(calls.Where(c => c.ExitNs < 0)))
        {
            var r = new byte[SyscallRecorder.RecordSize];
            bool exited = call.ExitNs >= 0;
            BinaryPrimitives.WriteInt64LittleEndian(r, call.EnterNs);
            BinaryPrimitives.WriteInt64LittleEndian(r.AsSpan(8), exited ? call.ExitNs : 0);
            BinaryPrimitives.WriteInt64LittleEndian(r.AsSpan(16), exited ? call.Result : 0);
            var a = call.Args;
            ulong[] args = [a.A0, a.A1, a.A2, a.A3, a.A4, a.A5];
            for (int i = 0; i < 6; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(24 + 8 * i), args[i]);
            }
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(72), call.Number);
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(76), exited ? call.Number : 0);
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(80), call.Pid);
            BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(84), call.Tid);
            BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(88), SyscallRecorder.HasEnter | (exited ? SyscallRecorder.HasExit : 0));
            collector.OnSyscallRecord(r);
        }
        collector.FlushPending();
        return (collector, fds);
    }

    private static Trace Build((PerfCollector C, FdTable Fds) from) => Build(from.C, from.Fds);

    private static Trace Build(PerfCollector c, FdTable fds) => TraceBuilder.From(
        new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Syscalls = c.Syscalls,
            OrphanEnters = c.OrphanEnters,
            OrphanExits = c.OrphanExits,
            Fds = fds,
            Threads = c.Syscalls.Concat(c.OrphanEnters).Select(s => s.Tid).Distinct().ToDictionary(t => t, _ => (Pid, "storm")),
            FirstSampleNs = c.FirstSampleNs,
            Execs = c.Execs,
            SwitchesRecorded = true,
            FaultsRecorded = true,
            Control = (1, 1, "the command's own execve"),
        },
        new CaptureTarget { Target = "storm 200 3", StartNs = 0, EndNs = long.MaxValue / 2, WorkloadTids = new HashSet<int> { 4989 }, ExitCode = 0 });

    private static string Export(Trace trace, string format)
    {
        using var stream = new MemoryStream();
        if (format == "json")
        {
            TraceJsonExporter.Write(trace, stream);
        }
        else
        {
            PerfettoExporter.Write(trace, stream);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
