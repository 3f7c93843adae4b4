using System.Diagnostics;
using GpuOs;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Backends.GpuOs;

namespace GpuOsSpec.Workloads.Tests.GpuOs;

/// <summary>libgpuos through its C tests, its C# binding and its Python module.</summary>
public class GpuOsLibraryTests
{
    private static string Dir => Path.GetDirectoryName(typeof(GpuOsLibraryTests).Assembly.Location)!;

    private static (int Code, string Output) RunProcess(string file, IEnumerable<string> args, Dictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? [])
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void The_library_was_built_and_loads() =>
        GpuOsLibrary.Available.Should().BeTrue($"dotnet build compiles libgpuos.so with cc ({GpuOsLibrary.UnavailableReason})");

    [Fact]
    public void The_C_tests_pass()
    {
        string binary = Path.Combine(Path.GetTempPath(), $"gpuos-test-{Environment.ProcessId}");
        var (cc, ccOut) = RunProcess("cc", ["-O2", "-pthread", "-I", Path.Combine(Dir, "gpuos"), "-o", binary, Path.Combine(Dir, "gpuos", "test_gpuos.c"), "-L", Dir, "-lgpuos"]);
        cc.Should().Be(0, $"the C tests compile: {ccOut}");

        var (code, output) = RunProcess(binary, [], new() { ["LD_LIBRARY_PATH"] = Dir });

        output.Should().NotContain("FAIL").And.Contain("0 failure(s)");
        code.Should().Be(0, output);
    }

    [Fact]
    public void The_CUDA_HIP_and_OpenCL_completion_paths_pass_their_C_tests_against_a_fake_driver()
    {
        // The fake stands in for libcuda.so.1, libamdhip64.so and libOpenCL.so.1 (one file, so the names count into the
        // same figures): this machine has no GPU, and these paths must not wait for one to be tested; PoCL's OpenCL
        // cannot hold a thread in a marker as NVIDIA's did on the H200, which the fake does on request.
        string dir = Path.Combine(Path.GetTempPath(), $"gpuos-fake-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string fake = Path.Combine(dir, "libcuda.so.1");
        var (fakeCc, fakeOut) = RunProcess("cc", ["-O2", "-fPIC", "-shared", "-pthread", "-o", fake, Path.Combine(Dir, "gpuos", "fake_vendor.c")]);
        fakeCc.Should().Be(0, $"the fake driver compiles: {fakeOut}");
        foreach (string name in new[] { "libamdhip64.so", "libOpenCL.so.1" })
        {
            string link = Path.Combine(dir, name);
            File.Delete(link);
            File.CreateSymbolicLink(link, fake);
        }
        string binary = Path.Combine(dir, "test_completion");
        var (cc, ccOut) = RunProcess("cc", ["-O2", "-pthread", "-I", Path.Combine(Dir, "gpuos"), "-o", binary, Path.Combine(Dir, "gpuos", "test_completion.c"), "-L", Dir, "-lgpuos", "-ldl"]);
        cc.Should().Be(0, $"the C tests compile: {ccOut}");

        var (code, output) = RunProcess(binary, [], new() { ["LD_LIBRARY_PATH"] = $"{dir}:{Dir}" });

        output.Should().NotContain("FAIL").And.Contain("0 failure(s)").And.Contain("spin=word park=event").And.Contain("arm=fill");
        code.Should().Be(0, output);
    }

    [Fact]
    public void Phases_balance_and_misuse_is_named()
    {
        var error = Assert.Throws<GpuOsException>(() => GpuOsLibrary.EndPhase("never-opened"));
        error.Message.Should().Contain("no phase is open");
        using (GpuOsLibrary.Phase("outer"))
        {
            using (GpuOsLibrary.Phase("inner"))
            {
                GpuOsLibrary.Depth.Should().Be(2);
                Assert.Throws<GpuOsException>(() => GpuOsLibrary.EndPhase("outer")).Message.Should().Contain("\"inner\"");
            }
            GpuOsLibrary.Depth.Should().Be(1);
        }
        GpuOsLibrary.Depth.Should().Be(0);
    }

    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("line\nbreak", "control character")]
    [InlineData("nul\0cut", "NUL")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123", "63 bytes")]
    public void A_name_that_would_merge_with_another_or_split_a_line_is_refused(string name, string why)
    {
        Assert.Throws<GpuOsException>(() => GpuOsLibrary.Phase(name)).Message.Should().Contain(why);
        Assert.Throws<GpuOsException>(() => GpuOsLibrary.Mark(name)).Message.Should().Contain(why);
        GpuOsLibrary.Depth.Should().Be(0, "a refused name opens nothing");
    }

    // Built here, not in [InlineData]: the test runner's serialization turns a lone surrogate into U+FFFD on the way.
    [Fact]
    public void A_name_with_a_lone_surrogate_is_refused_rather_than_sent_as_U_FFFD()
    {
        string lone = "lone" + (char)0xD800;

        Assert.Throws<GpuOsException>(() => GpuOsLibrary.Phase(lone)).Message.Should().Contain("lone surrogate");
        Assert.Throws<GpuOsException>(() => GpuOsLibrary.Mark(lone)).Message.Should().Contain("lone surrogate");
        GpuOsLibrary.Depth.Should().Be(0, "a refused name opens nothing");
    }

    [Fact]
    public void The_class_reaches_the_OS_as_the_thread_policy()
    {
        // On a thread of its own, so the test runner's threads keep their policy whatever happens.
        var seen = new List<string>();
        var t = new Thread(() =>
        {
            seen.Add(Policy());
            using (GpuOsLibrary.Phase("background", WorkloadClass.Background))
            {
                seen.Add(Policy());
                using (GpuOsLibrary.Phase("batch", WorkloadClass.Throughput))
                {
                    seen.Add(Policy());
                }
            }
            seen.Add(Policy());
        });
        t.Start();
        t.Join();

        // /proc/thread-self/sched "policy": 0 SCHED_OTHER, 3 SCHED_BATCH, 5 SCHED_IDLE.
        seen.Should().Equal("0", "5", "3", "0");
    }

    private static string Policy() =>
        File.ReadAllLines("/proc/thread-self/sched").First(l => l.StartsWith("policy", StringComparison.Ordinal)).Split(':')[1].Trim();

    [Fact]
    public void A_CPU_stream_completion_is_signalled_exactly_once_per_wait()
    {
        using var context = new GpuOsContext(BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Auto, 0)));
        var stream = (GpuOsStream)context.DefaultStream;
        for (int i = 0; i < 50; i++)
        {
            stream.Launch(context.Kernels.Empty, LaunchShape.Cover(1));
            stream.Synchronize();
        }
        stream.Policy.Should().Be(WaitPolicy.Adaptive);
        stream.LastWait.Policy.Should().Be(WaitPolicy.Adaptive, "the last wait went through the completion with the stream's policy");
        var counts = CompletionCounts(stream);
        counts.Should().Be((50UL, 50UL, 0UL));
    }

    [Fact]
    public void The_waits_through_a_gpuos_stream_are_tallied_with_their_arms_and_decisions()
    {
        using var context = new GpuOsContext(BackendRegistry.Get("cpu").CreateContext(new ContextOptions(SyncMode.Spin, 0)));
        var stream = (GpuOsStream)context.DefaultStream;
        for (int i = 0; i < 3; i++)
        {
            stream.Launch(context.Kernels.Empty, LaunchShape.Cover(1));
            stream.Synchronize();
        }

        // Other tests in this assembly wait through CPU streams too: the tally is the process's, so at least 3.
        string line = GpuOsContexts.WaitsSeen.Single(w => w.StartsWith(stream.Completion!.Mechanism + ", spin:", StringComparison.Ordinal));
        line.Should().MatchRegex(@"spin: \d+ waits; arm median \d+ us \(max \d+ us\); wait median \d+ us; ", "each wait's arm and wait are timed");
        int waits = int.Parse(System.Text.RegularExpressions.Regex.Match(line, @", spin: (\d+) waits").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        waits.Should().BeGreaterThanOrEqualTo(3, line);
        line.Should().MatchRegex(@"(spin|already done) ×\d+", "a spin either spun or found the work done: {0}", line);
    }

    [SkippableFact]
    public void An_OpenCL_queue_completion_sees_each_arm_done_exactly_once()
    {
        var (backend, device) = Support.RequireBackend.Target("opencl");
        using var context = new GpuOsContext(backend.CreateContext(new ContextOptions(SyncMode.Blocking, device)));
        var stream = (GpuOsStream)context.DefaultStream;
        for (int i = 0; i < 20; i++)
        {
            stream.Launch(context.Kernels.BusyWait, LaunchShape.Cover(1), context.BusyWaitArgument(TimeSpan.FromMicroseconds(200)));
            stream.Synchronize();
        }
        stream.Policy.Should().Be(WaitPolicy.Park);
        CompletionCounts(stream).Should().Be((20UL, 20UL, 0UL));
        string mechanism = stream.Completion!.Mechanism;
        if (mechanism.Contains("Portable Computing Language", StringComparison.Ordinal))
        {
            mechanism.Should().Contain("host callback (clSetEventCallback)", "PoCL's completions are signalled by its callback, the H200's pick (2026-12-06)");
        }
        else
        {
            mechanism.Should().Contain("opencl").And.Contain("park=wait", "a park waits in the platform's own clWaitForEvents, not on a callback");
        }
    }

    private static (ulong, ulong, ulong) CompletionCounts(GpuOsStream stream) =>
        (stream.Completion ?? throw new InvalidOperationException("no wait went through gpuos")).Counts;

    [Fact]
    public void The_adaptive_wait_sleeps_through_work_expected_to_run_long()
    {
        using var c = Completion.Create(CompletionVendor.Manual);
        c.Arm(0);
        c.Expect(TimeSpan.FromMilliseconds(20));
        using var timer = new Timer(_ => c.Signal(), null, 20, Timeout.Infinite);

        var info = c.Wait(WaitPolicy.Adaptive, TimeSpan.FromSeconds(10));

        // Whether the timer fires within the spin after the sleep depends on the machine's load: both decisions are
        // right.
        info.Sleeps.Should().Be(1, "20 ms is far above the 50 us spin limit, so the wait sleeps through most of it");
        info.Decision.Should().BeOneOf(WaitDecision.SleepThenSpin, WaitDecision.SleepSpinThenPark);
    }

    [Fact]
    public void A_callback_that_never_fires_times_out_naming_the_phase()
    {
        using var c = Completion.Create(CompletionVendor.Manual);
        c.Arm(0);
        using (GpuOsLibrary.Phase("stuck"))
        {
            var ex = Assert.Throws<GpuOsException>(() => c.Wait(WaitPolicy.Park, TimeSpan.FromMilliseconds(30)));
            ex.Message.Should().Contain("\"stuck\"").And.Contain("never fired");
        }
    }

    [SkippableFact]
    public void The_Python_module_refuses_a_name_the_library_refuses()
    {
        Skip.If(RunProcess("sh", ["-c", "command -v python3"]).Code != 0, "python3 is not installed here");
        const string script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            import gpuos
            for name in ["a/b", "tab\there", "nul\0cut", "x" * 64]:
                for call in (gpuos.begin, gpuos.mark):
                    try:
                        call(name)
                        print("taken", repr(name))
                    except gpuos.GpuOsError as e:
                        print("refused", e)
            print("depth", gpuos.depth())
            """;

        var (code, output) = RunProcess("python3", ["-c", script, Path.Combine(Dir, "gpuos")], new() { ["GPUOS_LIBRARY"] = Path.Combine(Dir, "libgpuos.so") });

        code.Should().Be(0, output);
        output.Should().NotContain("taken").And.Contain("depth 0");
        output.Split('\n').Count(l => l.StartsWith("refused", StringComparison.Ordinal)).Should().Be(8, output);
        output.Should().Contain("'/'").And.Contain("control character").And.Contain("NUL").And.Contain("63 bytes");
    }

    [SkippableFact]
    public void The_Python_module_works_and_is_a_no_op_with_one_warning_without_the_library()
    {
        Skip.If(RunProcess("sh", ["-c", "command -v python3"]).Code != 0, "python3 is not installed here");
        const string script = """
            import sys, threading
            sys.path.insert(0, sys.argv[1])
            import gpuos
            with gpuos.phase("p", gpuos.BACKGROUND):
                print("policy", open("/proc/thread-self/sched").read().split("policy")[1].split()[1])
                gpuos.mark("m")
            if gpuos.available:
                c = gpuos.Completion(gpuos.MANUAL)
                c.arm(0)
                threading.Timer(0.01, c.signal).start()
                print("waited", c.wait(gpuos.PARK).parks >= 1)
            else:
                c = gpuos.Completion(gpuos.CUDA, fallback=lambda: print("fallback"))
                c.arm(1)
                c.wait()
            print("done")
            """;
        string py = Path.Combine(Dir, "gpuos");

        var (code, output) = RunProcess("python3", ["-c", script, py], new() { ["GPUOS_LIBRARY"] = Path.Combine(Dir, "libgpuos.so") });
        code.Should().Be(0, output);
        output.Should().Contain("policy 5").And.Contain("waited True").And.Contain("done");

        var (absentCode, absent) = RunProcess("python3", ["-c", script, py], new() { ["GPUOS_LIBRARY"] = "/nonexistent/libgpuos.so" });
        absentCode.Should().Be(0, absent);
        absent.Should().Contain("policy 0").And.Contain("fallback").And.Contain("done");
        absent.Split('\n').Count(l => l.Contains("phases and markers are no-ops")).Should().Be(1, "one warning, not one per call");
    }
}

public class DisposeTwiceTests
{
    [SkippableTheory]
    [InlineData("cpu")]
    [InlineData("opencl")]
    public void Streams_and_contexts_may_be_disposed_twice(string backend)
    {
        var (b, device) = Support.RequireBackend.Target(backend);
        var context = b.CreateContext(new ContextOptions(SyncMode.Auto, device));
        var stream = context.CreateStream();
        stream.Launch(context.Kernels.Empty, LaunchShape.Single);
        stream.Synchronize();

        stream.Dispose();
        stream.Dispose();
        context.Dispose();
        var again = () => context.Dispose();

        again.Should().NotThrow("a fixture disposes what a spec may have disposed already");
    }
}
