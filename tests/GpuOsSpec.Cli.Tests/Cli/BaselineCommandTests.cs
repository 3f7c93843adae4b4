using GpuOsSpec.Tracing.Baselines;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// gpuosspec baseline: a deliberate change is caught with a readable diff; a run that cannot be held to the baseline is
/// refused or inconclusive, never passed; bad input is refused before the command runs.
/// </summary>
[Collection(SerialCollection.Name)]
public class BaselineCommandTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"gpuosspec-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}.json");

    private static string[] Library => ["--gpuos-library", NativePrograms.GpuOsLibrary];

    // A command that leaves a file behind: refusing "before any run" means the file is never made.
    private static (string[] Command, string Witness) Witness()
    {
        string witness = Path.Combine(Path.GetTempPath(), $"gpuosspec-ran-{Guid.NewGuid():N}");
        return (["/bin/sh", "-c", $"touch {witness}"], witness);
    }

    private static string Record(params string[] command)
    {
        string profile = Temp("baseline");
        var (code, _, err) = Gpuosspec(["baseline", "record", "--out", profile, .. Library, "--", .. command]);
        code.Should().Be(0, err);
        return profile;
    }

    [SkippableFact]
    public void A_deliberate_extra_syscall_per_phase_run_is_caught_and_named()
    {
        Requires.Perf();
        string profile = Record(NativePrograms.Markers, "5");
        // This test holds counts; the time rule on microsecond phases of a loaded runner is measured in
        // docs/reliability.md.
        string[] counts = ["--time-tolerance", "100000", .. Library, "--"];

        var (same, sameOut, _) = Gpuosspec(["baseline", "compare", profile, .. counts, NativePrograms.Markers, "5"]);
        // The change: one more getppid in each run of step/data.
        var (changed, changedOut, _) = Gpuosspec(["baseline", "compare", profile, .. counts, NativePrograms.Markers, "5", "0", "1"]);

        same.Should().Be(0, sameOut);
        sameOut.Should().Contain("PASSED");
        changed.Should().Be(1, changedOut);
        changedOut.Should().Contain("FAILED").And.Contain("| grew | step/data | syscall getppid | 2 | 3 | 2.7 | +50.0% | +");
    }

    [SkippableFact]
    public void A_phase_that_computes_twice_as_long_fails_on_its_cpu_time_with_the_same_syscalls()
    {
        Requires.Perf();
        string profile = Temp("spin");
        var (recorded, _, recordErr) = Gpuosspec(["baseline", "record", "--out", profile, "--runs", "3", .. Library, "--", NativePrograms.Spin, "5", "20"]);
        recorded.Should().Be(0, recordErr);

        var (code, output, _) = Gpuosspec(["baseline", "compare", profile, .. Library, "--", NativePrograms.Spin, "5", "40"]);

        code.Should().Be(1, output);
        output.Should().Contain("| grew | step | on-CPU time of Workload threads |").And.NotContain("syscall");
    }

    [SkippableFact]
    public void A_phase_of_the_baseline_that_the_run_never_opens_is_inconclusive()
    {
        Requires.Perf();
        string profile = Record(NativePrograms.Spin, "3", "1");

        var (code, output, err) = Gpuosspec(["baseline", "compare", profile, .. Library, "--", NativePrograms.Spin, "0", "1"]);

        code.Should().Be(3, output + err);
        output.Should().Contain("INCONCLUSIVE").And.Contain("phase \"step\" never ran");
    }

    [SkippableFact]
    public void A_command_that_fails_after_the_same_phases_is_inconclusive_and_cannot_be_recorded()
    {
        Requires.Perf();
        string profile = Record(NativePrograms.Spin, "3", "1");

        var (code, output, err) = Gpuosspec(["baseline", "compare", profile, .. Library, "--", NativePrograms.Spin, "3", "1", "1"]);
        string failed = Temp("failed");
        var (recorded, _, recordErr) = Gpuosspec(["baseline", "record", "--out", failed, .. Library, "--", NativePrograms.Spin, "3", "1", "7"]);

        code.Should().Be(3, output + err);
        output.Should().Contain("exited with 1");
        recorded.Should().Be(1);
        recordErr.Should().Contain("exited with 7").And.Contain("nothing was written");
        File.Exists(failed).Should().BeFalse();
    }

    [SkippableFact]
    public void A_full_mode_baseline_is_compared_per_phase_in_hybrid_mode_whose_phase_counter_runs_and_in_its_own_mode_by_default()
    {
        Requires.Hybrid();
        string profile = Record(NativePrograms.Spin, "3", "1");

        var (hybrid, hybridOut, hybridErr) = Gpuosspec(["baseline", "compare", profile, "--mode", "hybrid", "--time-tolerance", "100000", .. Library, "--", NativePrograms.Spin, "3", "1"]);
        var (own, ownOut, ownErr) = Gpuosspec(["baseline", "compare", profile, "--time-tolerance", "100000", .. Library, "--", NativePrograms.Spin, "3", "1"]);

        hybrid.Should().Be(0, "the phase counter counts the phases' syscalls in hybrid mode: " + hybridOut + hybridErr);
        own.Should().Be(0, ownOut + ownErr);
    }

    [SkippableFact]
    public void A_hybrid_record_with_markers_holds_each_phases_syscalls_from_the_phase_counter()
    {
        Requires.Hybrid();
        string profile = Temp("hybrid");

        var (code, _, err) = Gpuosspec(["baseline", "record", "--out", profile, "--mode", "hybrid", .. Library, "--", NativePrograms.Markers, "2"]);

        code.Should().Be(0, err);
        err.Should().NotContain("the phases hold no syscalls").And.NotContain("not in the profile: Syscall");
        var saved = BaselineProfile.Load(profile);
        saved.Entries.Should().ContainSingle(e => e.Scope == "step/data" && e.Kind == BaselineKind.Syscall && e.Name == "getppid")
            .Which.PerRun.Should().Be(2, "2 getppid in each run of the phase");
    }

    [Theory]
    [InlineData("--tolerance", "NaN")]
    [InlineData("--slack", "NaN")]
    [InlineData("--tolerance", "1,5")]
    [InlineData("--tolerance", "-1")]
    [InlineData("--tolerance", "Infinity")]
    [InlineData("--time-tolerance", "1e3")]
    [InlineData("--time-slack", "0x10")]
    public void A_tolerance_that_is_not_a_plain_number_is_refused_before_any_run(string option, string value)
    {
        string profile = Temp("any");
        File.WriteAllText(profile, "{}");
        var (command, witness) = Witness();

        var (code, _, err) = Gpuosspec(["baseline", "compare", profile, option, value, "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain($"{option} takes a number of at least 0 written with digits and at most one '.'");
        File.Exists(witness).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"schema":"gpuosspec.baseline/2","entries":[null]}""", "is not a valid gpuosspec.baseline/2 profile")]
    [InlineData("""{"schema":"gpuosspec.baseline/2","target":"t","machine":{"host":"h","architecture":"x86_64","kernel":"k","driver":null},"capture":{"source":"Perf","mode":"Full","apiLibraries":[],"markers":false},"recordedUtc":"2026-01-01T00:00:00Z","recordings":1,"scopes":[{"scope":"(whole)","runs":1,"measured":["Syscall"]}],"entries":[{"scope":"(whole)","kind":"Syscall","name":"read","perRun":1,"max":1},{"scope":"(whole)","kind":"Syscall","name":"read","perRun":1,"max":1}]}""", "appears twice")]
    [InlineData("""{"schema":"gpuosspec.baseline/2","target":"t","machine":{"host":"h","architecture":"x86_64","kernel":"k","driver":null},"capture":{"source":"Perf","mode":"Full","apiLibraries":[],"markers":false},"recordedUtc":"2026-01-01T00:00:00Z","recordings":1,"scopes":[{"scope":null,"runs":1,"measured":[]}],"entries":[]}""", "doesn't allow null values")]
    [InlineData("""{"schema":"gpuosspec.baseline/1","entries":[],"machine":{"host":"x","architecture":"x86_64","kernel":"1"}}""", "is not a gpuosspec.baseline/2 profile (schema \"gpuosspec.baseline/1\")")]
    [InlineData("hostname\n", "is not a baseline profile")]
    public void A_corrupt_profile_is_refused_before_any_run_naming_what_is_wrong(string content, string reason)
    {
        string profile = Temp("corrupt");
        File.WriteAllText(profile, content);
        var (command, witness) = Witness();

        var (code, output, err) = Gpuosspec(["baseline", "compare", profile, "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain(reason).And.NotContain("This is a bug");
        output.Should().BeEmpty();
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void A_summary_into_a_missing_folder_is_refused_before_any_run()
    {
        string profile = Temp("any");
        BaselineProfileFile(profile);
        var (command, witness) = Witness();

        var (code, output, err) = Gpuosspec(["baseline", "compare", profile, "--summary", "/nonexistent-folder/summary.md", "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain("the folder /nonexistent-folder does not exist");
        output.Should().NotContain("PASSED");
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void Recording_with_the_proc_source_is_refused_before_any_run()
    {
        var (command, witness) = Witness();

        var (code, _, err) = Gpuosspec(["baseline", "record", "--out", Temp("proc"), "--source", "proc", "--", .. command]);

        code.Should().Be(2);
        err.Should().Contain("the proc source measures no syscalls").And.NotContain("Parameter");
        File.Exists(witness).Should().BeFalse();
    }

    [Fact]
    public void A_file_that_is_not_a_profile_is_refused_before_any_run()
    {
        var (code, _, err) = Gpuosspec("baseline", "compare", "/etc/hostname", "--", "/bin/true");

        code.Should().Be(2);
        err.Should().Contain("/etc/hostname is not a baseline profile");
    }

    [Fact]
    public void A_device_or_a_fifo_is_refused_at_once()
    {
        string fifo = Path.Combine(Path.GetTempPath(), $"gpuosspec-fifo-{Guid.NewGuid():N}");
        System.Diagnostics.Process.Start("mkfifo", fifo)!.WaitForExit();

        var (zero, _, zeroErr) = Gpuosspec("baseline", "compare", "/dev/zero", "--", "/bin/true");
        var (pipe, _, pipeErr) = Gpuosspec("baseline", "compare", fifo, "--", "/bin/true");

        (zero, pipe).Should().Be((2, 2));
        zeroErr.Should().Contain("not a regular file");
        pipeErr.Should().Contain("not a regular file");
        File.Delete(fifo);
    }

    // A valid profile of this machine (no run needed): the whole scope of a run of nothing.
    private static void BaselineProfileFile(string path) => File.WriteAllText(path, $$"""
        {"schema":"gpuosspec.baseline/2","target":"t","machine":{"host":"{{Environment.MachineName}}","architecture":"x86_64","kernel":"k","driver":null},
         "capture":{"source":"Perf","mode":"Full","apiLibraries":[],"markers":false},"recordedUtc":"2026-01-01T00:00:00Z","recordings":1,
         "scopes":[{"scope":"(whole)","runs":1,"measured":["Syscall"]}],"entries":[{"scope":"(whole)","kind":"Syscall","name":"read","perRun":1,"max":1}]}
        """);
}
