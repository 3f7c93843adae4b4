using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Interop;

internal static partial class Libc
{
    internal const int AT_FDCWD = -100;
    internal const uint STATX_TYPE = 0x1;
    internal const uint STATX_SIZE = 0x200;
    internal const int S_IFMT = 0xF000;
    internal const int S_IFREG = 0x8000;
    internal const int S_IFDIR = 0x4000;
    internal const int S_IFIFO = 0x1000;
    internal const int S_IFCHR = 0x2000;
    internal const int S_IFBLK = 0x6000;
    internal const int S_IFSOCK = 0xC000;

    /// <summary>struct statx (the same 256 bytes on every architecture); only the fields read here are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }

    /// <summary>statx(2): a file's type and size by path, without opening it (opening a FIFO blocks until a writer comes).</summary>
    [LibraryImport(LibraryName, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
}
