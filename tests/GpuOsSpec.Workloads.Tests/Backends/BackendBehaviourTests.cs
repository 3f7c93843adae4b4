using System.Runtime.InteropServices;
using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Tests.Support;

namespace GpuOsSpec.Workloads.Tests.Backends;

/// <summary>The same behaviours on every backend present: cpu always, opencl with PoCL here, cuda on the GPU
/// runner.</summary>
public class BackendBehaviourTests
{
    public static TheoryData<string> Backends()
    {
        var data = new TheoryData<string>();
        foreach (string t in RequireBackend.AllTargets())
        {
            data.Add(t);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Vector_add_matches_the_cpu(string name)
    {
        var (backend, device) = RequireBackend.Target(name);
        using var context = backend.CreateContext(new ContextOptions(DeviceIndex: device));
        const int n = 10_000;
        var a = Enumerable.Range(0, n).Select(i => i * 0.25f).ToArray();
        var b = Enumerable.Range(0, n).Select(i => 7f - i).ToArray();
        using var da = context.Allocate(n * 4, MemoryKind.Device);
        using var db = context.Allocate(n * 4, MemoryKind.Device);
        using var dc = context.Allocate(n * 4, MemoryKind.Device);
        var s = context.DefaultStream;

        s.CopyToDevice(da, MemoryMarshal.AsBytes(a.AsSpan()));
        s.CopyToDevice(db, MemoryMarshal.AsBytes(b.AsSpan()));
        s.Launch(context.Kernels.VectorAdd, LaunchShape.Cover(n), KernelArgument.Of(da), KernelArgument.Of(db), KernelArgument.Of(dc), KernelArgument.Of((uint)n));
        s.Synchronize();
        var c = new float[n];
        s.CopyToHost(MemoryMarshal.AsBytes(c.AsSpan()), dc);

        c.Should().Equal(a.Zip(b, (x, y) => x + y));
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void A_busy_wait_kernel_lasts_at_least_its_length_under_every_sync_mode(string name)
    {
        var (backend, device) = RequireBackend.Target(name);
        foreach (var mode in Enum.GetValues<SyncMode>())
        {
            using var context = backend.CreateContext(new ContextOptions(mode, device));
            var wait = context.BusyWaitArgument(TimeSpan.FromMilliseconds(20));
            context.DefaultStream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
            context.DefaultStream.Synchronize();
            var sw = System.Diagnostics.Stopwatch.StartNew();

            context.DefaultStream.Launch(context.Kernels.BusyWait, LaunchShape.Single, wait);
            context.DefaultStream.Synchronize();

            // 5 of 20 ms: a sync that does not wait returns in microseconds; OpenCL's calibrated loop on a shared CPU
            // device runs short under load, so the bound leaves it room.
            sw.Elapsed.TotalMilliseconds.Should().BeGreaterThan(5, $"the {mode} sync must wait for the kernel");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void An_event_completes_once_the_work_before_it_has(string name)
    {
        var (backend, device) = RequireBackend.Target(name);
        using var context = backend.CreateContext(new ContextOptions(SyncMode.Blocking, device));
        var other = context.CreateStream();
        context.DefaultStream.Launch(context.Kernels.BusyWait, LaunchShape.Single, context.BusyWaitArgument(TimeSpan.FromMilliseconds(30)));
        using var done = context.DefaultStream.Record();
        other.Wait(done);
        other.Launch(context.Kernels.Empty, LaunchShape.Single);

        other.Synchronize();

        done.IsComplete.Should().BeTrue("the second stream waited for the event");
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Mapped_memory_shows_the_host_what_a_kernel_wrote(string name)
    {
        var (backend, device) = RequireBackend.Target(name);
        using var context = backend.CreateContext(new ContextOptions(DeviceIndex: device));
        using var buffer = context.Allocate(4096 * 4, MemoryKind.Mapped);

        context.DefaultStream.Launch(context.Kernels.Touch, LaunchShape.Cover(4096), KernelArgument.Of(buffer), KernelArgument.Of(4096u));
        context.DefaultStream.Synchronize();
        uint last = 0;
        context.DefaultStream.AccessHost(buffer, span => last = MemoryMarshal.Read<uint>(span[(4095 * 4)..]));

        last.Should().Be(4095);
    }

    [SkippableFact]
    public void An_opencl_build_error_carries_the_compilers_log()
    {
        var backend = RequireBackend.Named("opencl");
        using var context = backend.CreateContext(new ContextOptions());

        var act = () => context.Build(new KernelSource("opencl-c", "__kernel void broken(void) { this is not C }"));

        act.Should().Throw<GpuBackendException>().WithMessage("clBuildProgram: CL_BUILD_PROGRAM_FAILURE (*error*");
    }

    [Fact]
    public void A_kernel_name_not_in_the_program_is_an_error_naming_what_is_there()
    {
        using var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions());

        var act = () => context.Kernels.Program.Kernel("saxpy");

        act.Should().Throw<GpuBackendException>().WithMessage("*saxpy*no such kernel*empty, vadd, busywait, touch*");
    }

    [Fact]
    public void Source_in_another_backends_language_is_refused()
    {
        using var context = BackendRegistry.Get("cpu").CreateContext(new ContextOptions());

        var act = () => context.Build(new KernelSource("ptx", ".version 7.0"));

        act.Should().Throw<ArgumentException>().WithMessage("The cpu backend runs managed kernels, not ptx.*");
    }
}
