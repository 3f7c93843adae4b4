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
    public void Without_probes_a_uprobe_syscall_is_the_programs_own()
    {
        var trace = Build(new CaptureResult
        {
            Source = CaptureSourceKind.Perf,
            Mode = CaptureMode.Full,
            OrphanEnters = [Enter("uprobe", 100)],
            OrphanExits = [Exit(-1, 200, 0)],
        });

        trace.Syscalls.Should().ContainSingle(s => s.Name == "uprobe" && s.ExitNs == 200);
    }
}
