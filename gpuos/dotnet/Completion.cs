using System.Runtime.InteropServices;
using GpuOs.Interop;

namespace GpuOs;

/// <summary>
/// A completion: armed after work queued on a stream or queue, seen done through the vendor's cheapest wake-up (CUDA
/// and HIP: a word the stream writes, and a blocking-sync event that only a park records; OpenCL: the marker's or
/// fill's event), waited on by any thread (spin, park or adaptive) or polled with epoll beside other fds
/// (<see cref="Fd"/>, written by one gpuos thread per process).
/// </summary>
public sealed class Completion : IDisposable
{
    private nint _handle;

    private Completion(nint handle, CompletionVendor vendor)
    {
        _handle = handle;
        Vendor = vendor;
    }

    /// <summary>The vendor whose callback signals it.</summary>
    public CompletionVendor Vendor { get; }

    /// <summary>Creates a completion for <paramref name="vendor"/>.</summary>
    /// <exception cref="GpuOsException">When
    /// libgpuos or the vendor library is absent; the message says which and how to fix it.</exception>
    public static Completion Create(CompletionVendor vendor)
    {
        if (!GpuOsLibrary.Usable())
        {
            throw new GpuOsException(-4, $"gpuos completions need libgpuos: {GpuOsLibrary.UnavailableReason}.");
        }
        nint handle = Native.gpuos_completion_create((int)vendor);
        if (handle == 0)
        {
            GpuOsLibrary.Check(-4);
        }
        return new Completion(handle, vendor);
    }

    /// <summary>Arms it after the work queued so far on <paramref name="stream"/> (a CUstream, cl_command_queue or
    /// hipStream_t; ignored for Manual).</summary>
    /// <exception cref="GpuOsException">When the vendor call fails (a
    /// destroyed stream, no current context).</exception>
    public void Arm(nint stream) => GpuOsLibrary.Check(Native.gpuos_completion_arm(Handle, stream));

    /// <summary>What it spins on and parks in, in words ("cuda: spin=word park=event").</summary>
    public string Mechanism => Marshal.PtrToStringUTF8(Native.gpuos_completion_mechanism(Handle)) ?? "";

    /// <summary>Signals one arm (Manual completions).</summary>
    public void Signal() => GpuOsLibrary.Check(Native.gpuos_completion_signal(Handle));

    /// <summary>True when every arm so far was signalled. No syscall.</summary>
    public bool IsComplete => Native.gpuos_completion_test(Handle) == 1;

    /// <summary>
    /// The eventfd, readable once an arm's work is done; after that, check <see cref="IsComplete"/> or
    /// <see cref="Wait"/>. For a vendor's work the gpuos-watch thread writes it, waiting on the handed-out completions
    /// in arming order.
    /// </summary>
    public int Fd => GpuOsLibrary.Check(Native.gpuos_completion_fd(Handle));

    /// <summary>A hint for the next adaptive wait: the work ends about <paramref name="afterArm"/> after the
    /// arm.</summary>
    public void Expect(TimeSpan afterArm) => Native.gpuos_completion_expect(Handle, afterArm.Ticks * 100);

    /// <summary>
    /// Waits for the latest arm. <see cref="Timeout.InfiniteTimeSpan"/> parks in the vendor's own blocking wait; a
    /// finite timeout on a vendor's completion parks on the eventfd instead (the vendor's waits take no deadline),
    /// which costs the watcher thread's wake-up.
    /// </summary>
    /// <exception cref="GpuOsException">On a timeout (naming the phase), a wait before any arm, or a failed vendor
    /// wait.</exception>
    public WaitInfo Wait(WaitPolicy policy, TimeSpan timeout)
    {
        long ns = timeout == Timeout.InfiniteTimeSpan ? -1 : timeout.Ticks * 100;
        GpuOsLibrary.Check(Native.gpuos_completion_wait(Handle, (int)policy, ns, out var info));
        return info;
    }

    /// <summary>Arms so far, signals so far, and signals beyond the arms.</summary>
    public (ulong Armed, ulong Signalled, ulong Extra) Counts
    {
        get
        {
            Native.gpuos_completion_counts(Handle, out ulong armed, out ulong signalled, out ulong extra);
            return (armed, signalled, extra);
        }
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Completion));

    /// <summary>Frees it; callbacks still pending keep the native object alive until they ran.</summary>
    public void Dispose()
    {
        nint h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0)
        {
            Native.gpuos_completion_destroy(h);
        }
    }
}
