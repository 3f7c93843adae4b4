using GpuOsSpec.Tracing.Decoding;
using GpuOsSpec.Tracing.Interop;

namespace GpuOsSpec.Tracing.Capture.Markers;

/// <summary>
/// What a library path names, asked of the kernel (statx) before anything opens it: only a regular file is read. A
/// FIFO would block the open until a writer came, and a device such as /dev/zero never ends.
/// </summary>
internal static class LibraryFile
{
    /// <summary>Null when <paramref name="path"/> is a regular file (after symbolic links); otherwise what it is instead.</summary>
    internal static string? Problem(string path)
    {
        if (Libc.Statx(Libc.AT_FDCWD, path, 0, Libc.STATX_TYPE | Libc.STATX_SIZE, out var st) != 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return errno switch
            {
                Errno.ENOENT => "does not exist",
                Errno.ENOTDIR => "does not exist (a part of the path is not a directory)",
                _ => $"cannot be examined ({ErrnoNames.Name(errno)})",
            };
        }
        return (st.Mode & Libc.S_IFMT) switch
        {
            Libc.S_IFREG => null,
            Libc.S_IFDIR => "is a directory",
            Libc.S_IFIFO => "is a FIFO (named pipe), not a regular file",
            Libc.S_IFCHR => "is a character device, not a regular file",
            Libc.S_IFBLK => "is a block device, not a regular file",
            Libc.S_IFSOCK => "is a socket, not a regular file",
            _ => "is not a regular file",
        };
    }
}
