using System.Buffers.Binary;
using System.Text;

namespace GpuOsSpec.Tracing.Platform.Elf;

/// <summary>
/// Finds exported functions' file offsets in an ELF64 little-endian shared object: the offsets uprobes take. A symbol's
/// value is a virtual address; the PT_LOAD segment holding it maps it back to the file. Only the ELF header, the
/// program and section headers, .dynsym and its string table are read, each with its size checked against the file
/// first (a real libcuda is about 100 MB; a path may name anything). (A dozen fields; no library on the registry reads
/// ELF, and these layouts have not changed since 1999.)
/// </summary>
internal static class ElfSymbol
{
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int SymbolsPerRead = 4096;
    private const uint ShtDynsym = 11;
    private const uint ShtStrtab = 3;
    private const uint PtLoad = 1;

    // Far above any real library's .dynstr (libcuda's is under a MiB): a larger one is a corrupt header, not a table to
    // read.
    private const ulong MaxStringTable = 64UL << 20;

    /// <summary>The file offset of <paramref name="symbol"/> in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">When the file is not a regular ELF64 little-endian object, is malformed,
    /// or lacks the symbol.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">When reading it is not permitted.</exception>
    internal static ulong FileOffset(string path, string symbol) =>
        FileOffsets(path, [symbol]).TryGetValue(symbol, out ulong offset) ? offset : throw new InvalidDataException($"{path} exports no function {symbol}.");

    /// <summary>The file offsets of those of <paramref name="symbols"/> that <paramref name="path"/> exports as
    /// functions.</summary>
    /// <exception cref="InvalidDataException">When the file is not a regular ELF64 little-endian
    /// object or is malformed.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">When reading it is not permitted.</exception>
    internal static Dictionary<string, ulong> FileOffsets(string path, IReadOnlyCollection<string> symbols)
    {
        if (RegularFile.Problem(path) is { } problem)
        {
            throw new InvalidDataException($"{path} {problem}.");
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        return FileOffsets(file, path, symbols);
    }

    /// <summary>As <see cref="FileOffsets(string, IReadOnlyCollection{string})"/>, over an open seekable stream named
    /// <paramref name="name"/> in messages.</summary>
    /// <exception cref="InvalidDataException">When the stream is not an
    /// ELF64 little-endian object or is malformed.</exception>
    internal static Dictionary<string, ulong> FileOffsets(Stream elf, string name, IReadOnlyCollection<string> symbols)
    {
        ulong length = (ulong)elf.Length;
        if (length < HeaderSize)
        {
            throw new InvalidDataException($"{name} is not an ELF64 little-endian file: it has {length} bytes, fewer than an ELF header's {HeaderSize}.");
        }
        var h = Read(elf, name, 0, HeaderSize, "the ELF header");
        if (h[0] != 0x7F || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F' || h[4] != 2 || h[5] != 1)
        {
            throw new InvalidDataException($"{name} is not an ELF64 little-endian file.");
        }
        ulong phoff = U64(h, 0x20), shoff = U64(h, 0x28);
        int phentsize = U16(h, 0x36), phnum = U16(h, 0x38), shentsize = U16(h, 0x3A), shnum = U16(h, 0x3C);
        if (shnum == 0)
        {
            throw new InvalidDataException($"{name} has no section headers, so no symbol table to read.");
        }
        if (shentsize != SectionHeaderSize)
        {
            throw new InvalidDataException($"{name}: its section headers are {shentsize} bytes each, not the {SectionHeaderSize} of ELF64.");
        }
        var sections = Read(elf, name, shoff, (ulong)shnum * SectionHeaderSize, "the section headers", length);
        var wanted = symbols.ToHashSet(StringComparer.Ordinal);
        var addresses = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (int i = 0; i < shnum; i++)
        {
            var sh = sections.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
            if (U32(sh, 4) == ShtDynsym)
            {
                ReadSymbols(elf, name, length, sections, sh, wanted, addresses);
            }
        }
        var offsets = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (addresses.Count == 0)
        {
            return offsets;
        }
        if (phnum > 0 && phentsize != ProgramHeaderSize)
        {
            throw new InvalidDataException($"{name}: its program headers are {phentsize} bytes each, not the {ProgramHeaderSize} of ELF64.");
        }
        var programs = Read(elf, name, phoff, (ulong)phnum * ProgramHeaderSize, "the program headers", length);
        foreach (var (symbol, address) in addresses)
        {
            offsets[symbol] = ToFileOffset(programs, phnum, address, length)
                ?? throw new InvalidDataException($"{name}: {symbol} (address 0x{address:x}) lies in no loaded segment of the file.");
        }
        return offsets;
    }

    // Reads one .dynsym in chunks, keeping the address of each wanted, defined function.
    private static void ReadSymbols(Stream elf, string name, ulong length, byte[] sections, ReadOnlySpan<byte> dynsym,
        HashSet<string> wanted, Dictionary<string, ulong> addresses)
    {
        ulong symOff = U64(dynsym, 0x18), symSize = U64(dynsym, 0x20), entSize = U64(dynsym, 0x38);
        uint link = U32(dynsym, 0x28);
        if (entSize != SymbolSize)
        {
            throw new InvalidDataException($"{name}: its .dynsym entries are {entSize} bytes each, not the {SymbolSize} of ELF64.");
        }
        CheckRange(name, symOff, symSize, length, ".dynsym");
        if (link == 0 || link >= (ulong)sections.Length / SectionHeaderSize)
        {
            throw new InvalidDataException($"{name}: .dynsym names string table section {link}, which does not exist.");
        }
        var strHeader = sections.AsSpan((int)link * SectionHeaderSize, SectionHeaderSize);
        if (U32(strHeader, 4) != ShtStrtab)
        {
            throw new InvalidDataException($"{name}: .dynsym names section {link} as its string table, which is not one.");
        }
        ulong strOff = U64(strHeader, 0x18), strSize = U64(strHeader, 0x20);
        if (strSize > MaxStringTable)
        {
            throw new InvalidDataException($"{name}: its .dynstr claims {strSize:N0} bytes, more than any shared library's ({MaxStringTable:N0}).");
        }
        var strings = Read(elf, name, strOff, strSize, ".dynstr", length);
        ulong count = symSize / SymbolSize;
        for (ulong first = 0; first < count && addresses.Count < wanted.Count; first += SymbolsPerRead)
        {
            ulong n = Math.Min(SymbolsPerRead, count - first);
            var chunk = Read(elf, name, symOff + first * SymbolSize, n * SymbolSize, ".dynsym", length);
            for (int i = 0; i < (int)n; i++)
            {
                var sym = chunk.AsSpan(i * SymbolSize, SymbolSize);
                uint nameAt = U32(sym, 0);
                ushort section = U16(sym, 6);
                ulong value = U64(sym, 8);
                // STT_FUNC, defined in a section of this file (SHN_UNDEF is 0), with an address.
                if ((sym[4] & 0xF) != 2 || section == 0 || value == 0 || nameAt >= strings.Length)
                {
                    continue;
                }
                var rest = strings.AsSpan((int)nameAt);
                int end = rest.IndexOf((byte)0);
                if (end <= 0)
                {
                    continue;
                }
                string symbol = Encoding.UTF8.GetString(rest[..end]);
                if (wanted.Contains(symbol))
                {
                    addresses.TryAdd(symbol, value);
                }
            }
        }
    }

    private static ulong? ToFileOffset(byte[] programs, int phnum, ulong address, ulong length)
    {
        for (int i = 0; i < phnum; i++)
        {
            var ph = programs.AsSpan(i * ProgramHeaderSize, ProgramHeaderSize);
            ulong offset = U64(ph, 0x08), vaddr = U64(ph, 0x10), filesz = U64(ph, 0x20);
            // Subtractions only, so no field, however large, can overflow into a plausible offset.
            if (U32(ph, 0) == PtLoad && address >= vaddr && address - vaddr < filesz && offset < length && address - vaddr < length - offset)
            {
                return offset + (address - vaddr);
            }
        }
        return null;
    }

    private static void CheckRange(string name, ulong offset, ulong size, ulong length, string what)
    {
        if (offset > length || size > length - offset)
        {
            throw new InvalidDataException($"{name} is truncated or malformed: {what} claims bytes {offset:N0} to {offset + Math.Min(size, ulong.MaxValue - offset):N0}, but the file has {length:N0}.");
        }
    }

    private static byte[] Read(Stream elf, string name, ulong offset, ulong size, string what, ulong? length = null)
    {
        CheckRange(name, offset, size, length ?? (ulong)elf.Length, what);
        var buffer = new byte[size];
        elf.Seek((long)offset, SeekOrigin.Begin);
        try
        {
            elf.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name} ended before the end of {what} (it changed while being read?).");
        }
        return buffer;
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);
}
