namespace GpuOsSpec.Specs.Commands;

/// <summary>
/// Command specs: a user's own program, traced with all its threads and descendants, held to a spec per gpuos phase and
/// per vendor API call.
/// </summary>
[Hypothesis("A program's compute phase runs without the OS, and its phases are what the program marked", Role = "scheduling", Axis = "program phase")]
public sealed class ProgramsHeldToASpec
{
    [GpuFact(Sources = new[] { CaptureSourceKind.Perf })]
    public void A_marked_programs_steady_phase_makes_no_syscall()
    {
        var trace = GpuSpec.TraceCommand(Programs.Build("phased"), ["2000000"]);

        trace.ExitCode.Should().Be(0);
        trace.Phases.Where(p => p.Origin == PhaseOrigin.GpuOsMarkers).Select(p => p.Path).Should().Equal("setup", "steady", "report");
        trace.Phase("setup").Should().HaveAtLeastSyscallsInRole(SyscallRole.Memory, 1, "setup maps its array");
        trace.Phase("steady").Should().HaveNoSyscalls("the loop computes in user space");
        trace.Phase("report").Should().HaveAtLeastCallsTo("write", 1, "report prints its result");
    }

    [GpuFact(Backend = "opencl", Sources = new[] { CaptureSourceKind.Perf })]
    public void Setting_a_kernel_argument_never_reaches_the_OS()
    {
        // The default mode: the kernel counts every syscall inside each API call (a capture whose counter did not run
        // leaves the per-call assertion inconclusive, never passed).
        var trace = GpuSpec.TraceCommand(Programs.Build("opencl_steps"), ["50"],
            new CaptureOptions { ApiLibraries = ApiLibraries.OpenCl });

        trace.ExitCode.Should().Be(0);
        trace.FindPhaseRuns("step").Should().HaveCount(50);
        var steps = trace.Phase("step").FromOrigins(ThreadOrigin.All);
        steps.Should().HaveAtMostSyscallsPerApiCall("clSetKernelArg", 0, "an argument is host-side state until the launch");
        steps.ApiCosts().Should().Contain(c => c.Name == "clFinish" && c.Calls == 50, "every step waits once");
    }

    [GpuFact(Backend = "cuda", Sources = new[] { CaptureSourceKind.Perf })]
    public void A_warm_PyTorch_training_step_makes_no_ioctl()
    {
        string? script = Programs.InRepository("examples/pytorch/train_gpuos.py");
        if (script is null || !Python.HasTorch())
        {
            GpuSpec.Skip(script is null ? "examples/pytorch/train_gpuos.py is not above the specs' folder" : "python3 with torch (and CUDA) is not installed here");
        }

        var trace = GpuSpec.TraceCommand("python3", [script, "--steps", "20"],
            new CaptureOptions { ApiLibraries = ApiLibraries.Cuda });

        trace.ExitCode.Should().Be(0);
        trace.FindPhaseRuns("train").Should().HaveCount(20);
        trace.Phase("train/data").Should().HaveAtMostCallsTo("ioctl", 0, "pinned copies are queued in user space");
        trace.Phase("train/forward").Should().HaveAtMostCallsTo("ioctl", 0, "a warm forward pass submits through user-mode queues");
        trace.Phase("train/backward").Should().HaveAtMostCallsTo("ioctl", 0, "and so does the backward pass");
        trace.Phase("train").FromOrigins(ThreadOrigin.All).Should().HaveAtMostSyscallsPerApiCall("cuLaunchKernel", 0, "a kernel launch costs no syscall once the context is warm");
    }
}

/// <summary>Whether python3 with torch is here.</summary>
internal static class Python
{
    internal static bool HasTorch()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import torch"]) { RedirectStandardError = true, UseShellExecute = false })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
