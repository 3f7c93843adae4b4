using System.Buffers.Binary;
using System.Diagnostics;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>
/// A gpuos library path that is not a regular gpuos library is a usage error (exit 2) at once, before the command runs,
/// with what the path is and the fix. Calls that used to hang run under a guard, so a regression fails the test.
/// </summary>
public sealed class GpuOsLibraryPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpuosspec-libpath-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Ran => Path.Combine(_dir, "the-command-ran");

    private (int Code, string Err) Trace(string library)
    {
        var task = Task.Run(() => Support.Cli.Run("trace", "--gpuos-library", library, "--", "/bin/sh", "-c", $"touch {Ran}"));
        task.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("gpuosspec must refuse the path, not read it forever");
        return (task.Result.Code, task.Result.Err);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_character_device_is_refused_before_the_command_runs()
    {
        var (code, err) = Trace("/dev/zero");

        code.Should().Be(2);
        err.Should().Contain("--gpuos-library: The gpuos library path /dev/zero is a character device").And.Contain("Fix:");
        File.Exists(Ran).Should().BeFalse("the command must not run when its trace cannot start");
    }

    [Fact]
    public void A_FIFO_is_refused_at_once_without_being_opened()
    {
        string fifo = Path.Combine(_dir, "libgpuos.so");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var (code, err) = Trace(fifo);

        code.Should().Be(2);
        err.Should().Contain("is a FIFO (named pipe), not a regular file").And.Contain("Fix:");
        File.Exists(Ran).Should().BeFalse();
    }

    [Fact]
    public void A_truncated_library_is_refused_as_truncated()
    {
        string path = Write("libgpuos.so", File.ReadAllBytes(NativePrograms.GpuOsLibrary)[..4096]);

        var (code, err) = Trace(path);

        code.Should().Be(2);
        err.Should().Contain("is not a gpuos library").And.Contain("truncated").And.Contain("Fix:").And.NotContain("out of the range");
        File.Exists(Ran).Should().BeFalse();
    }

    [Fact]
    public void A_library_whose_symbol_entries_are_0_bytes_is_refused_at_once()
    {
        var elf = File.ReadAllBytes(NativePrograms.GpuOsLibrary);
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan(0x28));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        int dynsym = Enumerable.Range(0, shnum).Select(i => (int)shoff + i * 64).First(at => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(at + 4)) == 11);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(dynsym + 0x38), 0);

        var (code, err) = Trace(Write("libgpuos.so", elf));

        code.Should().Be(2);
        err.Should().Contain(".dynsym entries are 0 bytes");
        File.Exists(Ran).Should().BeFalse();
    }

    // In a child process: GPUOS_LIBRARY is process-wide, and other tests run gpuosspec in this one.
    [Fact]
    public void GPUOS_LIBRARY_naming_a_directory_says_it_is_a_directory_not_that_it_is_missing()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(NativePrograms.TestDirectory, "gpuosspec.dll"), "trace", "--", "/bin/sh", "-c", $"touch {Ran}" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["GPUOS_LIBRARY"] = _dir;
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000).Should().BeTrue();

        p.ExitCode.Should().Be(2, err);
        err.Should().Contain($"GPUOS_LIBRARY: The gpuos library path {_dir} is a directory").And.Contain(Path.Combine(_dir, "libgpuos.so"))
            .And.NotContain("does not exist");
        File.Exists(Ran).Should().BeFalse();
    }
}
