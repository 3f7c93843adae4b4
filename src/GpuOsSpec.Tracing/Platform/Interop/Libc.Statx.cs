using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

internal static partial class Libc
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    // struct statx: u32 stx_mask, u32 stx_blksize, u64 stx_attributes, u32 stx_nlink, u32 stx_uid, u32 stx_gid, u16
    // stx_mode (the same on every architecture, unlike struct stat), 256 bytes in all.
    private const int StatxModeOffset = 28;
    private const int StatxSize = 256;

    /// <summary>S_IFMT: the file-type bits of a mode.</summary>
    internal const int FileTypeMask = 0xF000;

    /// <summary>The S_IF* file types of a mode's S_IFMT bits.</summary>
    internal const int RegularFile = 0x8000, Directory = 0x4000, Fifo = 0x1000, CharacterDevice = 0x2000, BlockDevice = 0x6000,
        Socket = 0xC000;

    [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The file-type bits (S_IFMT) of <paramref name="path"/>, following links, or null when it cannot be
    /// stat'ed.</summary>
    internal static unsafe int? FileType(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        return Statx(AtFdCwd, path, 0, StatxType, buffer) == 0 ? *(ushort*)(buffer + StatxModeOffset) & FileTypeMask : null;
    }
}
