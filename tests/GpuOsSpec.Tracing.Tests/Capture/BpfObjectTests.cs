using System.Diagnostics;
using GpuOsSpec.Tracing.Platform.Bpf;
using GpuOsSpec.Tracing.Platform.Elf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>The libbpf loader reports what went wrong, in libbpf's and the verifier's own words, to the
/// caller.</summary>
[Collection(SerialCollection.Name)]
public class BpfObjectTests
{
    [SkippableFact]
    public void A_missing_object_file_is_refused_with_ENOENT_and_its_path()
    {
        Requires.Hybrid();
        const string path = "/nonexistent/gpuosspec/absent.bpf.o";

        var act = () => BpfObject.OpenFile(path);

        var thrown = act.Should().Throw<BpfException>().Which;
        thrown.Message.Should().StartWith($"Opening the eBPF object {path} failed (ENOENT)");
        thrown.Errno.Should().Be(2);
    }

    [SkippableFact]
    public void A_file_that_is_no_eBPF_object_is_refused_when_opened()
    {
        Requires.Hybrid();
        string path = Path.Combine(Path.GetTempPath(), $"gpuosspec-not-elf-{Environment.ProcessId}.bpf.o");
        File.WriteAllText(path, "not an ELF file");
        try
        {
            var act = () => BpfObject.OpenFile(path);

            act.Should().Throw<BpfException>().Which.Message.Should().StartWith($"Opening the eBPF object {path} failed (");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void A_program_the_verifier_refuses_fails_with_the_verifiers_own_words()
    {
        Requires.Hybrid();
        string obj = CompileBpf("refused");
        using var bpf = BpfObject.OpenFile(obj);

        var act = () => bpf.Load();

        var message = act.Should().Throw<BpfException>().Which.Message;
        message.Should().StartWith("Loading the eBPF object refused.bpf.o failed (");
        message.Should().Contain("invalid bpf_context access off=0", "libbpf's log, the verifier's among it, is the failure's explanation");
        bpf.Log.Should().Contain("BEGIN PROG LOAD LOG");
    }

    [SkippableFact]
    public void An_unknown_program_or_map_is_named_in_the_refusal()
    {
        Requires.Hybrid();
        using var bpf = BpfObject.OpenFile(CompileBpf("refused"));

        bpf.Invoking(b => b.AttachAuto("absent")).Should().Throw<InvalidOperationException>()
            .WithMessage("The eBPF object refused.bpf.o has no program absent.");
        bpf.Invoking(b => b.SetMaxEntries("absent", 1)).Should().Throw<InvalidOperationException>()
            .WithMessage("The eBPF object refused.bpf.o has no map absent.");
    }

    [SkippableFact]
    public void A_program_attached_by_uprobe_counts_into_a_map_read_by_name()
    {
        Requires.Hybrid();
        using var bpf = CountMarkerHits();

        Hits(bpf).Should().Be(300);
    }

    [SkippableFact]
    public void A_loaded_programs_skipped_runs_are_read_from_the_kernel_and_none_were_skipped_in_a_plain_run()
    {
        Requires.Hybrid();
        using var bpf = CountMarkerHits();

        Hits(bpf).Should().Be(300, "the program ran, so 0 skipped runs is a reading, not a program that never ran");
        bpf.RecursionMisses("count_hit").Should().Be(0, "a uprobe program is not re-entered on its CPU");
    }

    // Loads uprobe-count.bpf.c on the test folder's own copy of libgpuos (a uprobe is on a file, and only this
    // assembly's serial tests run programs that load this copy) and runs 3 steps of 100 instant markers each.
    private static BpfObject CountMarkerHits()
    {
        string library = NativePrograms.GpuOsLibrary;
        var bpf = BpfObject.OpenFile(CompileBpf("uprobe-count"));
        bpf.Load();
        bpf.AttachUprobe("count_hit", returnProbe: false, pid: -1, library, ElfSymbol.FileOffset(library, "gpuos_mark"));
        using var p = Process.Start(NativePrograms.Markers, ["3"])!;
        p.WaitForExit();
        p.ExitCode.Should().Be(0);
        return bpf;
    }

    private static long Hits(BpfObject bpf)
    {
        var value = new byte[8];
        bpf.Map("hits").Lookup(0u, value).Should().BeTrue();
        return BitConverter.ToInt64(value);
    }

    // tests/native/NAME.bpf.c compiled as the build compiles src/GpuOsSpec.Tracing/Bpf, with the uapi headers' asm/
    // folder from the multiarch include path instead of a vmlinux.h.
    private static string CompileBpf(string name)
    {
        string source = Path.Combine(NativePrograms.TestDirectory, "native", name + ".bpf.c");
        string output = Path.Combine(Path.GetTempPath(), $"gpuosspec-test-{Environment.ProcessId}", name + ".bpf.o");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var psi = new ProcessStartInfo("clang") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu", "-c", source, "-o", output })
        {
            psi.ArgumentList.Add(a);
        }
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Requires.Missing("clang", "clang is not installed. Fix: apt-get install clang libbpf-dev");
            throw;
        }
        using (p)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : throw new InvalidOperationException($"clang {source} failed: {err}. Fix: apt-get install clang libbpf-dev.");
        }
    }
}
