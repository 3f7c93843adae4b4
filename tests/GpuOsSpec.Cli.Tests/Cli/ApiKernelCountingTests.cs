using System.Diagnostics;
using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// API calls counted in the kernel (api.bpf.c) against a known number: tests/native/rules.c calls the libcuda.so.1
/// stand-in (tests/native/fake-cuda.c) a fixed number of times, each launch making exactly one getppid. gpuosspec runs
/// as a child with the stand-in on its library path (the probes resolve the library in gpuosspec's own process).
/// </summary>
[Collection(SerialCollection.Name)]
public class ApiKernelCountingTests
{
    private const int Steps = 7;

    // rules launch-syscall: 20 launches a step, each one getppid, then one parked wait (a nanosleep).
    private const int Launches = 20 * Steps;

    [SkippableTheory]
    [InlineData("full")]
    [InlineData("hybrid")]
    public void Launches_and_their_syscalls_are_counted_exactly_in_the_kernel(string mode)
    {
        Requires.Hybrid();

        var run = Trace(mode, samples: false, "launch-syscall");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        run.Notes.Should().Contain(n => n.StartsWith("API calls are counted in the kernel", StringComparison.Ordinal));
        var launch = run.Api("cuLaunchKernel");
        launch.GetProperty("calls").GetInt32().Should().Be(Launches, "rules makes 20 launches in each of its {0} steps", Steps);
        launch.GetProperty("syscalls").GetInt32().Should().Be(Launches, "each launch makes exactly one getppid, in every mode (the kernel counts every syscall)");
        launch.GetProperty("osInvisible").GetInt32().Should().Be(0, "every launch made a syscall");
        run.Api("cuStreamSynchronize").GetProperty("calls").GetInt32().Should().Be(Steps, "one wait a step");
    }

    [SkippableTheory]
    [InlineData("full")]
    [InlineData("hybrid")]
    public void The_return_probes_own_syscalls_are_counted_in_no_phase(string mode)
    {
        Requires.Hybrid();

        // rules gpu: 20 launches in user space and one parked wait (glibc's nanosleep is a clock_nanosleep) a step.
        // Each probed call returns through the uretprobe syscall, which leaves no number behind (orig_ax -1, as
        // rt_sigreturn does): counted by that number, a phase of calls that make no syscall showed one rt_sigreturn a
        // call in the default mode.
        var run = Trace(mode, samples: false, "gpu");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        run.Api("cuLaunchKernel").GetProperty("calls").GetInt32().Should().Be(Launches, "the launches were probed");
        var steady = run.Json.GetProperty("phases").EnumerateArray().Should().ContainSingle(p => p.GetProperty("path").GetString() == "steady").Subject;
        steady.GetProperty("syscalls").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("count").GetInt32()))
            .Should().Equal([("clock_nanosleep", Steps)], "a step's only syscall is its parked wait; the probes' own syscalls are left out");
    }

    [SkippableFact]
    public void Launches_are_counted_exactly_from_perf_samples_too()
    {
        Requires.Perf();

        var run = Trace("full", samples: true, "launch-syscall");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        run.Notes.Should().Contain(n => n.Contains("API calls are sampled by perf and joined by time (--api-samples)"));
        var launch = run.Api("cuLaunchKernel");
        launch.GetProperty("calls").GetInt32().Should().Be(Launches);
        launch.GetProperty("syscalls").GetInt32().Should().Be(Launches);
    }

    [SkippableFact]
    public void Faults_and_OS_invisibility_joined_from_samples_without_fault_events_are_not_measured_rather_than_zero()
    {
        Requires.Perf();

        // rules nest: the three outer levels of each launch make no syscall; with no fault recorded, nothing says
        // whether they faulted, so calling them OS-invisible would be a verdict on nothing.
        var run = Trace("full", samples: true, "nest", "--no-fault-events");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        var launch = run.Api("cuLaunchKernel");
        launch.GetProperty("calls").GetInt32().Should().Be(4 * Steps, "the calls were probed");
        launch.GetProperty("pageFaults").ValueKind.Should().Be(JsonValueKind.Null, "no page fault was recorded, so none was attributed");
        launch.GetProperty("osInvisible").ValueKind.Should().Be(JsonValueKind.Null, "a call's faults unknown leave its OS-invisibility unknown");
        launch.GetProperty("osInvisibleShare").ValueKind.Should().Be(JsonValueKind.Null, "its share is unknown too");
    }

    [SkippableFact]
    public void Faults_counted_in_the_kernel_stay_measured_without_fault_events()
    {
        Requires.Hybrid();

        // api.bpf.c counts faults by tracepoint whatever the perf events record.
        var run = Trace("full", samples: false, "nest", "--no-fault-events");

        var launch = run.Api("cuLaunchKernel");
        launch.GetProperty("pageFaults").ValueKind.Should().Be(JsonValueKind.Number, "the kernel counted each call's faults");
        launch.GetProperty("osInvisible").ValueKind.Should().Be(JsonValueKind.Number, "each call's syscalls, switches and faults were all counted");
    }

    [SkippableFact]
    public void A_call_counted_in_the_kernel_encloses_its_syscalls_on_the_perf_clock()
    {
        Requires.Hybrid();

        // Full mode records each getppid as a perf event; the calls' times come from bpf_ktime_get_ns. On two clocks
        // the syscalls would fall outside the calls that made them.
        var run = Trace("full", samples: false, "launch-syscall");

        var events = run.Perfetto.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        var launches = events.Where(e => e.GetProperty("cat").GetString() == "api" && e.GetProperty("name").GetString() == "cuLaunchKernel")
            .Select(e => (Tid: e.GetProperty("tid").GetInt32(), Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()))
            .ToList();
        var getppids = events.Where(e => e.GetProperty("name").GetString() == "getppid")
            .Select(e => (Tid: e.GetProperty("tid").GetInt32(), Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()))
            .ToList();
        launches.Should().HaveCount(Launches);
        getppids.Should().HaveCount(Launches, "rules makes no getppid outside its launches");
        getppids.Should().OnlyContain(s => launches.Any(l => l.Tid == s.Tid && l.Start <= s.Start && s.End <= l.End),
            "each getppid was made inside a launch, and both are stamped on CLOCK_MONOTONIC");
    }

    [SkippableFact]
    public void Nested_calls_are_each_counted_and_the_innermost_takes_the_syscall()
    {
        Requires.Hybrid();

        // rules nest: one launch a step that calls itself 3 deep (4 open calls).
        var run = Trace("full", samples: false, "nest");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        var launch = run.Api("cuLaunchKernel");
        launch.GetProperty("calls").GetInt32().Should().Be(4 * Steps, "every level is a probed call");
        // Counted once, not once per open level: the syscall goes to the innermost call only. (How many outer levels
        // stay OS-invisible is the scheduler's: a preemption or a page fault inside one makes it visible.)
        launch.GetProperty("syscalls").GetInt32().Should().Be(Steps, "only the innermost call makes the getppid");
    }

    [SkippableFact]
    public void Calls_nested_deeper_than_the_kernel_keeps_make_the_trace_inconclusive()
    {
        Requires.Hybrid();

        // rules nest-deep: one launch a step that calls itself 20 deep (21 open calls, 16 kept).
        var run = Trace("full", samples: false, "nest-deep");

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeTrue("calls past the kept depth were not told apart");
        run.Json.GetProperty("lostEvents").GetInt64().Should().Be(5L * Steps, "each step's launch nests 5 calls past the 16 kept");
        run.Notes.Should().Contain(n => n.Contains("nested deeper than the kernel keeps"));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_the_traced_tree_carries_the_probes_and_its_fork_and_exec_are_counted_exactly_before_and_after_they_end(bool samples)
    {
        Requires.Hybrid();

        // Another process on the machine with the probed library loaded: it must carry no breakpoint, so none of its
        // calls can trap. The first byte of cuLaunchKernel in each process says whether the probe is installed there.
        const int n = 50;
        Run run;
        using (var foreign = Foreign())
        {
            try
            {
                // Joined from samples, the calls hold every syscall only in full mode.
                run = TraceCommand(samples ? "full" : "hybrid", samples, NativePrograms.ApiWitness, ["tree", n.ToString(), foreign.Id.ToString()]);
            }
            finally
            {
                // Its stdin closed, it exits.
                foreign.StandardInput.Close();
                foreign.WaitForExit();
            }
        }

        run.Json.GetProperty("inconclusive").GetBoolean().Should().BeFalse(run.Json.GetProperty("inconclusiveReason").ToString());
        run.Notes.Should().Contain(n => n.StartsWith(samples ? "API calls are sampled by perf" : "API calls are counted in the kernel", StringComparison.Ordinal));
        run.Stdout.Should().Contain("self 0xcc").And.Contain("child 0xcc").And.Contain("exec 0xcc", "the traced process, its forked child and the child's exec'd image carry the probe");
        run.Stdout.Should().MatchRegex("foreign 0x[0-9a-f]{2}").And.NotContain("foreign 0xcc", "a process outside the traced tree carries no probe, so its calls cannot trap");
        var launch = run.Api("cuLaunchKernel");
        // The last n come after a thread and the child process ended: an inherited event freed at an exit once took the
        // counter's programs with it.
        launch.GetProperty("calls").GetInt32().Should().Be(4 * n, "the process makes {0} launches before its fork and {0} after its child ended, the child {0} and its exec'd image {0}", n);
        launch.GetProperty("syscalls").GetInt32().Should().Be(4 * n, "each launch makes exactly one getppid");
    }

    // api-witness wait: a process outside the traced tree that has the probed library loaded.
    private static Process Foreign()
    {
        var psi = new ProcessStartInfo(NativePrograms.ApiWitness, "wait") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.Environment["LD_LIBRARY_PATH"] = NativePrograms.FakeCudaFolder;
        var p = Process.Start(psi)!;
        p.StandardOutput.ReadLine().Should().Be("ready", "the foreign process loaded the library before the capture");
        return p;
    }

    private static Run Trace(string mode, bool samples, string action, params string[] options) =>
        TraceCommand(mode, samples, NativePrograms.Rules, [action, Steps.ToString()], options);

    private static Run TraceCommand(string mode, bool samples, string command, string[] arguments, params string[] options)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"gpuosspec-api-kernel-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string json = Path.Combine(dir, "trace.json"), perfetto = Path.Combine(dir, "trace.perfetto.json");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var args = new List<string> { Path.Combine(NativePrograms.TestDirectory, "gpuosspec.dll"), "trace", "--mode", mode, "--api", "cuda" };
            if (samples)
            {
                args.Add("--api-samples");
            }
            args.AddRange(options);
            args.AddRange(["--gpuos-library", NativePrograms.GpuOsLibrary, "--json", json, "--perfetto", perfetto, "--", command, .. arguments]);
            args.ForEach(psi.ArgumentList.Add);
            psi.Environment["LD_LIBRARY_PATH"] = NativePrograms.FakeCudaFolder;
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            File.Exists(json).Should().BeTrue($"gpuosspec trace wrote its JSON (exit {p.ExitCode}): {stdout} {stderr.Result}");
            return new Run(JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone(), JsonDocument.Parse(File.ReadAllText(perfetto)).RootElement.Clone(), stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Run(JsonElement Json, JsonElement Perfetto, string Stdout)
    {
        internal IReadOnlyList<string> Notes => Json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();

        internal JsonElement Api(string name) =>
            Json.GetProperty("apiCalls").EnumerateArray().Should().ContainSingle(a => a.GetProperty("name").GetString() == name, $"{name} was probed and called").Subject;
    }
}
