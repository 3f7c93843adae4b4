using System.Buffers.Binary;
using System.Text;

namespace GpuOsSpec.Tracing.Capture.Markers;

/// <summary>
/// Finds an exported function's file offset in an ELF64 little-endian shared object: the offset a uprobe takes.
/// A symbol's value is a virtual address; the PT_LOAD segment holding it maps it back to the file.
/// (A dozen fields of the ELF header, program and section headers and .dynsym; no library on the registry reads
/// ELF, and these layouts have not changed since 1999.)
/// </summary>
internal static class ElfSymbol
{
    /// <summary>The file offset of <paramref name="symbol"/> in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">When the file is not an ELF64 little-endian object or lacks the symbol.</exception>
    internal static ulong FileOffset(string path, string symbol)
    {
        byte[] f = File.ReadAllBytes(path);
        var s = f.AsSpan();
        if (f.Length < 64 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F' || f[4] != 2 || f[5] != 1)
        {
            throw new InvalidDataException($"{path} is not an ELF64 little-endian file.");
        }
        ulong phoff = U64(s, 0x20), shoff = U64(s, 0x28);
        int phentsize = U16(s, 0x36), phnum = U16(s, 0x38), shentsize = U16(s, 0x3A), shnum = U16(s, 0x3C);
        ulong? value = null;
        for (int i = 0; i < shnum && value is null; i++)
        {
            var sh = s[(int)(shoff + (ulong)(i * shentsize))..];
            if (U32(sh, 4) != 11)
            {
                continue; // SHT_DYNSYM
            }
            ulong symOff = U64(sh, 0x18), symSize = U64(sh, 0x20), entSize = U64(sh, 0x38);
            int link = (int)U32(sh, 0x28);
            var str = s[(int)(shoff + (ulong)(link * shentsize))..];
            ulong strOff = U64(str, 0x18);
            for (ulong e = 0; e + entSize <= symSize; e += entSize)
            {
                var sym = s[(int)(symOff + e)..];
                int name = (int)U32(sym, 0);
                ulong v = U64(sym, 8);
                if (v != 0 && (sym[4] & 0xF) == 2 && NameAt(s, (int)strOff + name) == symbol)
                {
                    value = v; // STT_FUNC, defined
                    break;
                }
            }
        }
        if (value is not { } address)
        {
            throw new InvalidDataException($"{path} exports no function {symbol}.");
        }
        for (int i = 0; i < phnum; i++)
        {
            var ph = s[(int)(phoff + (ulong)(i * phentsize))..];
            ulong vaddr = U64(ph, 0x10), filesz = U64(ph, 0x20), offset = U64(ph, 0x08);
            if (U32(ph, 0) == 1 && address >= vaddr && address < vaddr + filesz)
            {
                return address - vaddr + offset; // PT_LOAD
            }
        }
        throw new InvalidDataException($"{path}: {symbol} lies in no loaded segment.");
    }

    private static string NameAt(ReadOnlySpan<byte> s, int at)
    {
        int end = s[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? s[at..] : s.Slice(at, end));
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);
}
