using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>gpuosspec baseline: a deliberate change is caught with a readable diff; bad profiles and inconclusive runs never pass.</summary>
[Collection(SerialCollection.Name)]
public class BaselineCommandTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    [SkippableFact]
    public void A_deliberate_extra_syscall_per_phase_run_is_caught_and_named()
    {
        Requires.Perf();
        string profile = Path.Combine(Path.GetTempPath(), $"gpuosspec-baseline-{Environment.ProcessId}.json");
        string[] capture = ["--mode", "full", "--gpuos-library", NativePrograms.GpuOsLibrary, "--"];

        var (recorded, _, recordErr) = Gpuosspec(["baseline", "record", "--out", profile, .. capture, NativePrograms.Markers, "5"]);
        recorded.Should().Be(0, recordErr);
        var (same, sameOut, _) = Gpuosspec(["baseline", "compare", profile, .. capture, NativePrograms.Markers, "5"]);
        // The change: one more getppid in each run of step/data.
        var (changed, changedOut, _) = Gpuosspec(["baseline", "compare", profile, .. capture, NativePrograms.Markers, "5", "0", "1"]);

        same.Should().Be(0, sameOut);
        sameOut.Should().Contain("PASSED");
        changed.Should().Be(1, changedOut);
        changedOut.Should().Contain("FAILED").And.Contain("| grew | step/data | syscall getppid | 2 | 3 | +50.0% | +");
    }

    [Fact]
    public void A_file_that_is_not_a_profile_is_refused_before_any_run()
    {
        var (code, _, err) = Gpuosspec("baseline", "compare", "/etc/hostname", "--", "/bin/true");

        code.Should().Be(2);
        err.Should().Contain("/etc/hostname is not a baseline profile");
    }

    [Fact]
    public void A_profile_from_another_schema_is_refused_with_the_fix()
    {
        string file = Path.Combine(Path.GetTempPath(), $"gpuosspec-old-{Environment.ProcessId}.json");
        File.WriteAllText(file, """{"schema":"gpuosspec.baseline/0","entries":[],"machine":{"host":"x","architecture":"x86_64","kernel":"1"}}""");

        var (code, _, err) = Gpuosspec("baseline", "compare", file, "--", "/bin/true");

        code.Should().Be(2);
        err.Should().Contain("is not a gpuosspec.baseline/1 profile (schema \"gpuosspec.baseline/0\")").And.Contain("gpuosspec baseline record");
    }
}
