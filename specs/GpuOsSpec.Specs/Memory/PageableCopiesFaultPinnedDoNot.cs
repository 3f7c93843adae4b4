using System.Runtime.InteropServices;

namespace GpuOsSpec.Specs.Memory;

[Hypothesis("Pageable copies fault host pages on first touch; pinned copies do not", Role = "memory", Axis = "host memory kind")]
public sealed class PageableCopiesFaultPinnedDoNot(GpuContextFixture gpu) : SpecBase(gpu)
{
    private const int Bytes = 8 << 20;
    private const long Pages = Bytes / 4096;

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);

    // Page faults in the first pageable copy of 8 MiB of fresh memory.
    private static readonly IReadOnlyDictionary<string, Expected> s_pageable = Vendors.Same(
        Expected.AtLeast(Pages / 2, "each fresh 4 KiB page faults when the copy first reads it"),
        // Refuted on CUDA (driver 580, H200): 0 faults. The driver pins the pages itself (get_user_pages); they fault
        // in inside the kernel, which the page-fault event, counted at user-mode faults, does not see.
        ("cuda", new Expected(0, double.MaxValue, "the driver faults the pages in itself, in kernel mode, unseen by the page-fault event")));

    [GpuTheory(Sources = new[] { CaptureSourceKind.Perf })]
    [Backends]
    public unsafe void A_first_pageable_copy_faults_and_a_pinned_copy_does_not(string backend)
    {
        var context = Gpu.Context(backend, SyncMode.Spin);
        var stream = context.DefaultStream;
        using var device = context.Allocate(Bytes, MemoryKind.Device);
        using var pinned = context.Allocate(Bytes, MemoryKind.PinnedHost);
        stream.CopyToDevice(device, pinned);
        stream.Synchronize();
        // Fresh anonymous pages are mapped but not yet touched: the copy is their first touch. (malloc would not do:
        // after an earlier case freed its block, glibc serves the next one from memory that was touched already.)
        byte* fresh = (byte*)Mmap(0, Bytes, 3, 0x22, -1, 0);
        if (fresh == (byte*)-1)
        {
            throw new InvalidOperationException("mmap of 8 MiB of fresh memory failed.");
        }
        try
        {
            using var trace = GpuSpec.Trace(label: backend);
            using (trace.Phase("pageable"))
            {
                stream.CopyToDevice(device, new ReadOnlySpan<byte>(fresh, Bytes));
            }
            using (trace.Phase("pinned"))
            {
                stream.CopyToDevice(device, pinned);
                stream.Synchronize();
            }
            var t = trace.Stop();

            var pageable = For(context, s_pageable);
            t.Phase("pageable").Should().HaveAtLeastPageFaults((long)pageable.Min, pageable.Why);
            t.Phase("pinned").Should().HaveAtMostPageFaults(16, "pinned memory is resident and mapped already");
        }
        finally
        {
            Munmap((nint)fresh, Bytes);
        }
    }
}
