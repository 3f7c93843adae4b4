using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Platform.Syscalls;
using GpuOsSpec.Tracing.Sources;

namespace GpuOsSpec.Tracing.Tests.Analysis;

/// <summary>The probes' own syscalls (uretprobe, and uprobe for an optimized entry probe) are never the
/// program's.</summary>
public class ProbeSyscallTests
{
    private static RawSyscall Enter(string name, long at) =>
        new() { Pid = 7, Tid = 7, Number = SyscallTable.X64.Number(name)!.Value, EnterNs = at, ExitNs = -1 };

    private static RawSyscall Exit(int number, long at, long result) =>
        new() { Pid = 7, Tid = 7, Number = number, EnterNs = -1, ExitNs = at, Result = result };

    private static Trace Build(CaptureResult result) =>
        TraceBuilder.From(result, new CaptureTarget { Target = "t", StartNs = 0, EndNs = 1_000_000, WorkloadTids = new HashSet<int> { 7 } });

    [Fact]
    public void An_optimized_probes_uprobe_syscall_is_left_out_and_its_exit_numbered_minus_one_is_paired_with_it()
    {
        // Entries and exits in different CPU buffers (orphans), as a migrating thread leaves them: a marker hit through
        // the uprobe syscall, whose exit this kernel numbers -1, then a read.
        var trace = Build(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            Markers = [],
            OrphanEnters = [Enter("uprobe", 100), Enter("read", 300)],
            OrphanExits = [Exit(-1, 200, 0), Exit(SyscallTable.X64.Number("read")!.Value, 400, 5)],
        });

        trace.Syscalls.Should().ContainSingle().Which.Should().Match<SyscallEvent>(s => s.Name == "read" && s.ExitNs == 400 && s.Result == 5);
        trace.Notes.Should().Contain(n => n.StartsWith("1 uprobe syscall(s), made by the probes themselves"));
    }

    [Fact]
    public void A_uprobe_syscall_is_left_out_and_noted_though_this_capture_probes_nothing()
    {
        // Another tool's optimized entry probe on a library the program calls: the syscall is its, not the program's.
        var trace = Build(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            OrphanEnters = [Enter("uprobe", 100)],
            OrphanExits = [Exit(-1, 200, 0)],
        });

        trace.Syscalls.Should().BeEmpty();
        trace.Notes.Should().Contain(n => n.StartsWith("1 uprobe syscall(s), made by the probes themselves") && n.Contains("another tool's uprobes"));
    }

    [Fact]
    public void A_uretprobe_syscall_from_another_captures_return_probe_is_left_out_of_every_figure_and_noted()
    {
        // Another capture's return probes on a shared libOpenCL.so: the traced program, probed by nothing here,
        // returned through the uretprobe syscall once per probed call (seen: one per clFinish in
        // Idle_syncs_make_no_syscall).
        int uretprobe = SyscallTable.X64.Number("uretprobe")!.Value;
        var trace = Build(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            OrphanEnters = [Enter("uretprobe", 100), Enter("read", 300)],
            OrphanExits = [Exit(uretprobe, 200, 0), Exit(SyscallTable.X64.Number("read")!.Value, 400, 5)],
        });

        trace.Syscalls.Should().ContainSingle().Which.Name.Should().Be("read");
        trace.SyscallTotals.Should().NotContain(t => t.Name == "uretprobe");
        trace.Notes.Should().Contain(n => n.StartsWith("1 uretprobe syscall(s), made by the probes themselves"));
    }

    [Fact]
    public void Uretprobe_syscalls_hybrid_mode_counted_are_left_out_though_this_capture_probes_nothing()
    {
        var trace = Build(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Hybrid,
            Counters = new Dictionary<string, (long Calls, long Errors)> { ["uretprobe"] = (3, 0), ["getppid"] = (2, 0) },
        });

        trace.SyscallTotals.Should().ContainSingle().Which.Name.Should().Be("getppid");
        trace.Notes.Should().Contain(n => n.StartsWith("3 uretprobe syscall(s), made by the probes themselves"));
    }
}
