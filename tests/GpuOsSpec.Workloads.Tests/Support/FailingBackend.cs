using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Tests.Support;

/// <summary>The cpu backend, except that the Nth launch fails as a vendor call would.</summary>
public sealed class FailingBackend(int failOnLaunch) : IGpuBackend
{
    private FailingContext? _context;

    public string Name => "failing";

    public bool Disposed => _context?.Disposed ?? false;

    public BackendAvailability Discover() => BackendRegistry.Get("cpu").Discover() with { Name = Name };

    public IGpuContext CreateContext(ContextOptions options) =>
        _context = new FailingContext(BackendRegistry.Get("cpu").CreateContext(options), failOnLaunch);

    private sealed class FailingContext(IGpuContext inner, int failOnLaunch) : IGpuContext
    {
        private readonly FailingStream _stream = new(inner.DefaultStream, failOnLaunch);

        public bool Disposed { get; private set; }

        public string Backend => "failing";

        public DeviceInfo Device => inner.Device;

        public SyncMode SyncMode => inner.SyncMode;

        public StandardKernels Kernels => inner.Kernels;

        public IGpuStream DefaultStream => _stream;

        public IGpuProgram Build(KernelSource source) => inner.Build(source);

        public IGpuBuffer Allocate(long bytes, MemoryKind kind) => inner.Allocate(bytes, kind);

        public IGpuStream CreateStream(bool outOfOrder = false) => inner.CreateStream(outOfOrder);

        public KernelArgument BusyWaitArgument(TimeSpan duration) => inner.BusyWaitArgument(duration);

        public void Synchronize() => inner.Synchronize();

        public void Dispose()
        {
            Disposed = true;
            inner.Dispose();
        }
    }

    private sealed class FailingStream(IGpuStream inner, int failOnLaunch) : IGpuStream
    {
        private int _launches;

        public bool OutOfOrder => inner.OutOfOrder;

        public void Launch(IGpuKernel kernel, LaunchShape shape, params ReadOnlySpan<KernelArgument> arguments)
        {
            if (++_launches == failOnLaunch)
            {
                throw new GpuBackendException("fakeLaunchKernel", "FAKE_ERROR_LAUNCH_FAILED", 719);
            }
            inner.Launch(kernel, shape, arguments);
        }

        public void CopyToDevice(IGpuBuffer destination, ReadOnlySpan<byte> source) => inner.CopyToDevice(destination, source);

        public void CopyToDevice(IGpuBuffer destination, IGpuBuffer pinnedSource) => inner.CopyToDevice(destination, pinnedSource);

        public void CopyToHost(Span<byte> destination, IGpuBuffer source) => inner.CopyToHost(destination, source);

        public void CopyToHost(IGpuBuffer pinnedDestination, IGpuBuffer source) => inner.CopyToHost(pinnedDestination, source);

        public void AccessHost(IGpuBuffer buffer, SpanAction access) => inner.AccessHost(buffer, access);

        public IGpuEvent Record() => inner.Record();

        public void Wait(IGpuEvent gpuEvent) => inner.Wait(gpuEvent);

        public void Synchronize() => inner.Synchronize();

        public void Dispose() => inner.Dispose();
    }
}
