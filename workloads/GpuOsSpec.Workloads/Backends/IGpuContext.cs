namespace GpuOsSpec.Workloads.Backends;

/// <summary>A context on one device, with a sync mode. Dispose it to release everything it holds.</summary>
public interface IGpuContext : IDisposable
{
    /// <summary>cuda, opencl, hip or cpu.</summary>
    string Backend { get; }

    /// <summary>The device.</summary>
    DeviceInfo Device { get; }

    /// <summary>How the host waits.</summary>
    SyncMode SyncMode { get; }

    /// <summary>The four standard kernels (empty, vadd, busywait, touch), built from this backend's source.</summary>
    StandardKernels Kernels { get; }

    /// <summary>The stream work goes to unless another is created.</summary>
    IGpuStream DefaultStream { get; }

    /// <summary>Builds a program from source in this backend's language.</summary>
    /// <exception cref="GpuBackendException">When the source does not build; the message carries the build
    /// log.</exception>
    IGpuProgram Build(KernelSource source);

    /// <summary>Allocates memory.</summary>
    /// <exception cref="NotSupportedException">When the backend has no such memory; the message says which backends
    /// do.</exception>
    IGpuBuffer Allocate(long bytes, MemoryKind kind);

    /// <summary>Creates a stream; <paramref name="outOfOrder"/> asks for an out-of-order queue.</summary>
    /// <exception cref="NotSupportedException">When the backend has no out-of-order queues.</exception>
    IGpuStream CreateStream(bool outOfOrder = false);

    /// <summary>The busywait kernel's argument for <paramref name="duration"/> (ns, cycles or a calibrated
    /// count).</summary>
    KernelArgument BusyWaitArgument(TimeSpan duration);

    /// <summary>Waits for all work of the context.</summary>
    void Synchronize();
}
