using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Platform.Syscalls;

namespace GpuOsSpec.Tracing.Platform.Elf;

/// <summary>
/// What a library path names, asked of the kernel (statx) before anything opens it: only a regular file is read. A
/// FIFO would block the open until a writer came, and a device such as /dev/zero never ends.
/// </summary>
internal static class LibraryFile
{
    // S_IF* file types (the S_IFMT bits of a mode), besides Libc.RegularFile.
    private const int Directory = 0x4000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int BlockDevice = 0x6000;
    private const int Socket = 0xC000;

    /// <summary>Null when <paramref name="path"/> is a regular file (after symbolic links); otherwise what it is
    /// instead.</summary>
    internal static string? Problem(string path)
    {
        if (Libc.FileType(path) is not { } type)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                Errno.ENOENT => "does not exist",
                Errno.ENOTDIR => "does not exist (a part of the path is not a directory)",
                _ => $"cannot be examined ({ErrnoNames.Name(errno)})",
            };
        }
        return type switch
        {
            Libc.RegularFile => null,
            Directory => "is a directory",
            Fifo => "is a FIFO (named pipe), not a regular file",
            CharacterDevice => "is a character device, not a regular file",
            BlockDevice => "is a block device, not a regular file",
            Socket => "is a socket, not a regular file",
            _ => "is not a regular file",
        };
    }
}
