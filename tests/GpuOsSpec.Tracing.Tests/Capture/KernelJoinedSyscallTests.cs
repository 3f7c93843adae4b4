using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sessions;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Full mode's syscalls joined in the kernel (syscall_records.bpf.c): one record per call, the same calls as
/// perf's sys_enter and sys_exit samples paired in user space, and every loss counted.</summary>
[Collection(SerialCollection.Name)]
public class KernelJoinedSyscallTests
{
    private const string Joined = "the kernel joins each syscall's entry and exit";

    private static CaptureOptions Full(bool pairInUserSpace = false, int? bufferPages = null, string? gpuos = null) =>
        new() { Source = CaptureSourceKind.Perf, Mode = PerfMode.Full, PairSyscallsInUserSpace = pairInUserSpace, BufferPages = bufferPages, GpuOsLibrary = gpuos };

    [SkippableFact]
    public void Full_mode_joins_each_syscall_in_the_kernel_with_its_thread_and_duration()
    {
        Requires.Hybrid();

        var trace = CommandTracer.Run(NativePrograms.Storm, ["20000", "4"], Full());

        trace.Notes.Should().Contain(n => n.Contains(Joined));
        trace.LostEvents.Should().Be(0);
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        var calls = trace.Syscalls.Where(s => s.Name == "getppid").ToList();
        calls.Should().HaveCount(20_000);
        calls.GroupBy(c => c.Tid).Should().HaveCount(4).And.OnlyContain(g => g.Count() == 5_000);
        calls.Should().OnlyContain(c => c.Finished && c.DurationNs >= 0 && c.Result > 0, "getppid returns the parent's pid");
    }

    [SkippableTheory]
    [InlineData("storm")]
    [InlineData("signals")]
    public void Both_ways_of_full_mode_give_every_thread_the_same_calls_in_the_same_order(string program)
    {
        Requires.Hybrid();
        // A storm on threads (clone3, each thread's exit), and a shell that handles signals (rt_sigreturn's exit
        // carries number -1) and ends in exit_group, which never returns.
        var (path, args) = program == "storm"
            ? (NativePrograms.Storm, new[] { "2000", "4" })
            : ("/bin/bash", new[] { "-c", "trap 'x=1' USR1; kill -USR1 $$; kill -USR1 $$; exit 0" });

        var joined = CommandTracer.Run(path, args, Full());
        var paired = CommandTracer.Run(path, args, Full(pairInUserSpace: true));

        joined.Notes.Should().Contain(n => n.Contains(Joined));
        paired.Notes.Should().Contain(n => n.Contains("paired in user space"));
        Totals(joined).Should().Equal(Totals(paired));
        PerThread(joined).Should().BeEquivalentTo(PerThread(paired), o => o.WithStrictOrdering());
        (joined.LostEvents, paired.LostEvents).Should().Be((0, 0));
    }

    [SkippableFact]
    public void A_ring_buffer_too_small_for_the_storm_loses_records_and_makes_the_trace_inconclusive()
    {
        Requires.Hybrid();

        // One page a CPU: a ring buffer of a few pages, for 200,000 records of 104 bytes.
        var trace = CommandTracer.Run(NativePrograms.Storm, ["200000"], Full(bufferPages: 1));

        trace.Notes.Should().Contain(n => n.Contains(Joined));
        trace.LostEvents.Should().BeGreaterThan(0);
        trace.IsInconclusive.Should().BeTrue();
        trace.InconclusiveReason.Should().Contain("were lost");
        trace.Notes.Should().Contain(n => n.Contains("syscall record(s) were lost because the kernel's ring buffer was full"));
    }

    [SkippableFact]
    public void Syscalls_inside_a_marker_phase_land_in_that_phase_on_the_kernels_clock()
    {
        Requires.Hybrid();

        // The records are stamped by bpf_ktime_get_ns, the markers by perf with CLOCK_MONOTONIC: on two clocks, the
        // getppid calls would fall outside the phases that hold them.
        var trace = CommandTracer.Run(NativePrograms.Markers, ["4"], Full(gpuos: NativePrograms.GpuOsLibrary));

        trace.Notes.Should().Contain(n => n.Contains(Joined));
        trace.IsInconclusive.Should().BeFalse(trace.InconclusiveReason);
        trace.Phase("step/data").Calls("getppid").Value.Should().Be(8, "2 getppid in each of 4 runs");
        trace.Phase("step/forward").Calls("getppid").Value.Should().Be(20, "5 getppid in each of 4 runs");
        trace.Phase("step/forward").SyscallCount().Value.Should().Be(20);
    }

    [Fact]
    public void A_missing_ebpf_object_makes_the_recorder_unavailable_with_the_reason()
    {
        var act = () => new SyscallRecorder(1 << 20, _ => { }, resource: "GpuOsSpec.Tracing.Bpf.missing.bpf.o");

        act.Should().Throw<BpfUnavailableException>().WithMessage("*holds no eBPF object GpuOsSpec.Tracing.Bpf.missing.bpf.o*");
    }

    [Fact]
    public void A_missing_libbpf_makes_the_recorder_unavailable_with_the_fix()
    {
        var act = () => new SyscallRecorder(1 << 20, _ => { }, library: "libbpf-gpuosspec-missing.so.1");

        act.Should().Throw<BpfUnavailableException>().WithMessage("*libbpf-gpuosspec-missing.so.1*cannot be loaded*apt-get install libbpf1*");
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(16384L * 4096 * 2, 128L << 20)]
    public void The_ring_buffer_is_a_power_of_two_of_pages(long asked, long size)
    {
        Environment.SystemPageSize.Should().Be(4096, "the sizes below are in 4 KiB pages");

        ((long)SyscallRecorder.RingBytes(asked)).Should().Be(size);
    }

    // futex is the program's own variable: pthread_join waits only for a thread still running, and a thread's exit
    // wakes a joiner only if one waits. Every other call is the same in every run.
    private static bool Deterministic(string name) => name != "futex";

    private static List<(string Name, long Count, long? Errors)> Totals(Trace trace) =>
        trace.SyscallTotals.Where(t => Deterministic(t.Name)).Select(t => (t.Name, t.Count, t.Errors)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    // Each thread's calls in order (threads numbered by their first call), with whether each returned and failed.
    private static List<List<string>> PerThread(Trace trace) =>
        trace.Syscalls.Where(s => Deterministic(s.Name)).GroupBy(s => s.Tid).OrderBy(g => g.First().EnterNs)
            .Select(g => g.OrderBy(s => s.EnterNs).Select(s => $"{s.Name} {(s.Finished ? s.Result < 0 ? "failed" : "returned" : "open")}").ToList())
            .ToList();
}
