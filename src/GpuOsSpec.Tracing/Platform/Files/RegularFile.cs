using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Files;

/// <summary>
/// What a path a user gave names (a gpuos library, a vendor library, a baseline profile), asked of the kernel (statx)
/// before anything opens it: only a regular file is read. A FIFO would block the open until a writer came, and a device
/// such as /dev/zero never ends.
/// </summary>
internal static class RegularFile
{
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
            Libc.Directory => "is a directory",
            Libc.Fifo => "is a FIFO (named pipe), not a regular file",
            Libc.CharacterDevice => "is a character device, not a regular file",
            Libc.BlockDevice => "is a block device, not a regular file",
            Libc.Socket => "is a socket, not a regular file",
            _ => "is not a regular file",
        };
    }
}
