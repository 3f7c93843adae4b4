using System.Diagnostics;

namespace GpuOsSpec.Tracing.Tests.Support;

/// <summary>Compiles the C helpers in tests/native once per test run.</summary>
public static class NativePrograms
{
    private static readonly Lazy<string> s_storm = new(() => Compile("storm"));

    private static readonly Lazy<string> s_blinder = new(() => Compile("blinder"));

    private static readonly Lazy<string> s_markers = new(() => CompileGpuOs("markers"));

    private static readonly Lazy<string> s_execMarkers = new(() => CompileGpuOs("exec-markers"));

    private static readonly Lazy<string> s_forkMarkers = new(() => CompileGpuOs("fork-markers"));

    private static readonly Lazy<string> s_foreignMarkers = new(() => CompileGpuOs("foreign-markers"));

    private static readonly Lazy<string> s_phasesProg = new(() => CompileGpuOs("phases-prog"));

    private static readonly Lazy<string> s_markerWait = new(() => CompileGpuOs("marker-wait"));

    /// <summary>marker-wait FILE: one instant marker, its pid written to FILE.pid, then it waits (at most 10 s) until
    /// FILE exists.</summary>
    public static string MarkerWait => s_markerWait.Value;

    /// <summary>phases-prog MODE: gpuos phases with known figures (tests/native/phases-prog.c says each mode's), e.g.
    /// storm N (N markers, no syscall), known N (N getppid), repeat (run i of "step" makes i getppid), thread (phase
    /// "main" while an unmarked thread makes 5 getppid, then 1 more).</summary>
    public static string PhasesProg => s_phasesProg.Value;

    /// <summary>exec-markers: phase "first" (2 getppid), then "carried" left open across an exec of itself, whose new
    /// image marks "second" (3 getppid).</summary>
    public static string ExecMarkers => s_execMarkers.Value;

    /// <summary>fork-markers: phase "work" open across a fork; the child tries to end it, then marks "child" (1
    /// getppid).</summary>
    public static string ForkMarkers => s_forkMarkers.Value;

    /// <summary>foreign-markers names|fork: marker records sent to gpuos_probe_marker directly, as an older or foreign
    /// library would.</summary>
    public static string ForeignMarkers => s_foreignMarkers.Value;

    private static readonly Lazy<string> s_spin = new(() => Compile("spin",
        "-I", Path.Combine(TestDirectory, "native"), "-L", TestDirectory, "-lgpuos", $"-Wl,-rpath,{TestDirectory}"));

    /// <summary>spin STEPS WORK [EXIT]: gpuos phases "step", each WORK units of arithmetic and no syscall; exits with
    /// EXIT.</summary>
    public static string Spin => s_spin.Value;

    /// <summary>markers STEPS: gpuos phases step/data (2 getppid) and step/forward (5 getppid, 100 instant markers) per
    /// step; linked to the libgpuos.so beside the tests.</summary>
    public static string Markers => s_markers.Value;

    private static readonly Lazy<string> s_rules = new(() => CompileGpuOs("rules"));

    private static readonly Lazy<string> s_fakeCuda = new(() =>
    {
        // A folder holding only libcuda.so.1, for LD_LIBRARY_PATH: the loader finds the stand-in by its soname.
        string built = Compile("fake-cuda", "-fPIC", "-shared", "-Wl,-soname,libcuda.so.1");
        string folder = Path.Combine(Path.GetTempPath(), $"gpuosspec-test-fake-cuda-lib-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        File.Copy(built, Path.Combine(folder, "libcuda.so.1"), overwrite: true);
        return folder;
    });

    /// <summary>rules ACTION [STEPS]: gpuos phases setup, STEPS x steady doing ACTION (keep, ioctl, mmap, open, thread,
    /// faults, yield, switch, gpu, launch-syscall, churn, wait-spin, wait-yield), teardown.</summary>
    public static string Rules => s_rules.Value;

    private static readonly Lazy<string> s_apiWitness = new(() => Compile("api-witness"));

    /// <summary>api-witness wait | tree N FOREIGN_PID | exec N: calls the libcuda.so.1 stand-in (on LD_LIBRARY_PATH)
    /// and prints the first byte of its cuLaunchKernel in a process (0xcc: a uprobe is installed there), its own and
    /// another process's; tree makes N launches itself, N in a forked child and N in that child's exec'd
    /// image.</summary>
    public static string ApiWitness => s_apiWitness.Value;

    /// <summary>A folder whose libcuda.so.1 is tests/native/fake-cuda.c: put it on LD_LIBRARY_PATH.</summary>
    public static string FakeCudaFolder => s_fakeCuda.Value;

    /// <summary>The libgpuos.so dotnet build put beside the tests.</summary>
    public static string GpuOsLibrary => Path.Combine(TestDirectory, "libgpuos.so");

    /// <summary>storm N [THREADS]: N getppid syscalls, on THREADS threads created after start.</summary>
    public static string Storm => s_storm.Value;

    /// <summary>blinder TRACEFS: attaches eBPF programs that return 0 to raw_syscalls, blinding every perf user of
    /// them.</summary>
    public static string Blinder => s_blinder.Value;

    /// <summary>The folder the test assembly and its data files live in (not the runner's, which xunit.console
    /// is).</summary>
    public static string TestDirectory => Path.GetDirectoryName(typeof(NativePrograms).Assembly.Location)!;

    private static string CompileGpuOs(string name) =>
        Compile(name, "-I", Path.Combine(TestDirectory, "native"), "-L", TestDirectory, "-lgpuos", $"-Wl,-rpath,{TestDirectory}");

    // GPUOSSPEC_NATIVE_BIN names a folder of prebuilt helpers, for machines without a C compiler (the GPU runner).
    private static string Compile(string name, params string[] extra)
    {
        if (Environment.GetEnvironmentVariable("GPUOSSPEC_NATIVE_BIN") is { Length: > 0 } prebuilt)
        {
            string binary = Path.GetFullPath(Path.Combine(prebuilt, name));
            return File.Exists(binary) ? binary : throw new InvalidOperationException($"GPUOSSPEC_NATIVE_BIN is set but {binary} does not exist.");
        }
        string source = Path.Combine(TestDirectory, "native", name + ".c");
        string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-test-{name}-{Environment.ProcessId}");
        var psi = new ProcessStartInfo("cc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-O2", "-pthread", "-o", output, source }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc {source} failed: {err}. Install a C compiler (apt-get install gcc).");
        }
        return output;
    }
}
