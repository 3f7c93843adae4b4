using System.Buffers.Binary;
using System.Diagnostics;
using GpuOsSpec.Tracing.Platform;
using GpuOsSpec.Tracing.Platform.Elf;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>
/// Library paths and ELF files as the marker and API probes read them: only regular files, only the tables needed,
/// every field checked against the file, and a typed refusal with the reason for anything else. Calls that used to hang
/// run under a guard, so a regression fails instead of stopping the test run.
/// </summary>
public sealed class ElfSymbolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpuosspec-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Library => File.ReadAllBytes(NativePrograms.GpuOsLibrary);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Fails the test, rather than hanging the run, when the call does not return.
    private static T Guarded<T>(Func<T> call)
    {
        var task = Task.Run(call);
        task.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("the call must return; it hung before the bounds were checked");
        return task.Result;
    }

    private static Exception? Thrown(Action call) => Guarded<Exception?>(() =>
    {
        try
        {
            call();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    });

    // The byte offset of the .dynsym section header's entry size field.
    private static int DynsymEntrySizeField(byte[] elf)
    {
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan(0x28));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (int i = 0; i < shnum; i++)
        {
            int at = (int)shoff + i * 64;
            if (BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(at + 4)) == 11)
            {
                return at + 0x38;
            }
        }
        throw new InvalidOperationException("libgpuos.so has no .dynsym");
    }

    [Fact]
    public void The_offsets_of_several_functions_come_from_one_reading_and_absent_ones_are_left_out()
    {
        var offsets = ElfSymbol.FileOffsets(NativePrograms.GpuOsLibrary, ["gpuos_probe_marker", "gpuos_mark", "no_such_function"]);

        offsets.Keys.Should().BeEquivalentTo("gpuos_probe_marker", "gpuos_mark");
        offsets["gpuos_probe_marker"].Should().Be(ElfSymbol.FileOffset(NativePrograms.GpuOsLibrary, "gpuos_probe_marker"));
        offsets.Values.Should().OnlyContain(o => o > 0 && o < (ulong)Library.Length);
    }

    [Fact]
    public void A_file_larger_than_any_array_is_read_by_its_headers_and_tables_alone()
    {
        string path = Write("huge.so", Library);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(3L << 30); // sparse: 3 GiB that take no disk
        }

        ulong offset = Guarded(() => ElfSymbol.FileOffset(path, "gpuos_probe_marker"));

        offset.Should().Be(ElfSymbol.FileOffset(NativePrograms.GpuOsLibrary, "gpuos_probe_marker"));
    }

    [Fact]
    public void A_symbol_table_whose_entries_are_0_bytes_is_refused_not_looped_over()
    {
        var elf = Library;
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(DynsymEntrySizeField(elf)), 0);
        string path = Write("entsize0.so", elf);

        var error = Thrown(() => ElfSymbol.FileOffset(path, "gpuos_probe_marker"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain(".dynsym entries are 0 bytes");
    }

    [Fact]
    public void A_truncated_library_is_refused_as_truncated()
    {
        string path = Write("truncated.so", Library[..4096]);

        var error = Thrown(() => MarkerProbe.For(path));

        error.Should().BeOfType<TracerException>().Which.Message.Should().Contain("is not a gpuos library").And.Contain("truncated")
            .And.NotContain("out of the range");
    }

    [Fact]
    public void A_file_shorter_than_an_ELF_header_is_refused_with_its_size()
    {
        string path = Write("short.so", [0x7F, (byte)'E', (byte)'L', (byte)'F']);

        var error = Thrown(() => ElfSymbol.FileOffset(path, "gpuos_probe_marker"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("4 bytes");
    }

    [Fact]
    public void A_character_device_is_refused_before_it_is_read()
    {
        var error = Thrown(() => MarkerProbe.For("/dev/zero"));

        error.Should().BeOfType<TracerException>().Which.Message.Should().Contain("/dev/zero is a character device").And.Contain("Fix:");
    }

    [Fact]
    public void A_FIFO_is_refused_without_being_opened()
    {
        string fifo = Path.Combine(_dir, "fifo.so");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.Should().Be(0);
        }

        var error = Thrown(() => MarkerProbe.For(fifo));

        error.Should().BeOfType<TracerException>().Which.Message.Should().Contain("is a FIFO").And.Contain("Fix:");
    }

    [Fact]
    public void A_directory_is_named_as_a_directory_not_as_missing()
    {
        var error = Thrown(() => MarkerProbe.For(_dir));

        error.Should().BeOfType<TracerException>().Which.Message.Should().Contain("is a directory").And.Contain(Path.Combine(_dir, "libgpuos.so"))
            .And.NotContain("does not exist");
    }

    [Fact]
    public void A_missing_file_is_named_as_missing_with_the_fix()
    {
        var error = Thrown(() => MarkerProbe.For(Path.Combine(_dir, "absent.so")));

        error.Should().BeOfType<TracerException>().Which.Message.Should().Contain("does not exist").And.Contain("Fix:");
    }

    // Mutations aimed at the structures the reader follows (the ELF header, the program and section headers, the symbol
    // and string tables), each a random byte, 0, 0xFF, or a whole 8-byte field set to an extreme: whatever the file
    // says, the reader returns or refuses with InvalidDataException, and returns.
    [Fact]
    public void A_thousand_mutated_copies_of_a_real_library_are_read_or_refused_with_the_typed_error_and_none_hangs()
    {
        var original = Library;
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(0x28));
        long phoff = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(0x20));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(0x3C));
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(0x38));
        var dynsymField = DynsymEntrySizeField(original);
        long dynsymOffset = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(dynsymField - 0x38 + 0x18));
        (long From, long Length)[] regions = [(0, 64), (phoff, phnum * 56L), (shoff, shnum * 64L), (dynsymOffset, 24 * 64), (0, original.Length)];
        ulong[] extremes = [0, 1, 24, 64, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, (ulong)original.Length, (ulong)original.Length - 1, long.MaxValue, ulong.MaxValue];
        var random = new Random(18);
        string path = Path.Combine(_dir, "mutant.so");
        var unexpected = new List<string>();
        int refused = 0, read = 0;

        Guarded(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                var elf = (byte[])original.Clone();
                for (int m = random.Next(1, 4); m > 0; m--)
                {
                    var (from, length) = regions[random.Next(regions.Length)];
                    int at = (int)(from + random.NextInt64(length));
                    switch (random.Next(3))
                    {
                        case 0 when at + 8 <= elf.Length:
                            BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(at & ~7), extremes[random.Next(extremes.Length)]);
                            break;
                        case 1:
                            elf[at] = random.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                            break;
                        default:
                            elf[at] = (byte)random.Next(256);
                            break;
                    }
                }
                File.WriteAllBytes(path, random.Next(10) == 0 ? elf[..random.Next(elf.Length)] : elf);
                try
                {
                    ElfSymbol.FileOffsets(path, ["gpuos_probe_marker", "gpuos_mark", "gpuos_phase_begin"]);
                    read++;
                }
                catch (InvalidDataException)
                {
                    refused++;
                }
                catch (Exception ex)
                {
                    unexpected.Add($"mutant {i}: {ex.GetType().Name}: {ex.Message}");
                }
            }
            return 0;
        });

        unexpected.Should().BeEmpty();
        (read + refused).Should().Be(1000);
        refused.Should().BeGreaterThan(0, "mutations of the headers must have produced files to refuse");
    }
}
