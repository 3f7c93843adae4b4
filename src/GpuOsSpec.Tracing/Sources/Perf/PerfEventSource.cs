using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>perf tracepoints: every syscall, context switch and fault, attributed to a thread and stamped with
/// CLOCK_MONOTONIC.</summary>
public sealed class PerfEventSource : ICaptureSource, ISyscallSource
{
    /// <inheritdoc/>
    public string Id => "perf";

    /// <inheritdoc/>
    CaptureSourceKind ISyscallSource.Kind => CaptureSourceKind.Perf;

    /// <inheritdoc/>
    ICaptureBackend ISyscallSource.CreateBackend(CaptureOptions options) => new PerfBackend(options);

    /// <inheritdoc/>
    public string Overhead => "low: hybrid mode about 2-3x on a pure syscall storm, full per-event mode more (see docs/overhead.md)";

    /// <summary>kernel.perf_event_paranoid, or "unknown".</summary>
    public static string Paranoid()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/perf_event_paranoid").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// Whether hybrid mode (the default for a command) can run here, beyond what <see cref="Check"/> needs: libbpf, the
    /// kernel's BTF, the eBPF object built into this assembly, and the capabilities to load it. Full mode needs none of
    /// them: a command traced with no mode asked falls back to it, one asked for hybrid is refused.
    /// </summary>
    public CapabilityCheck CheckHybrid() => CheckHybrid(Libbpf.LibraryName, BpfSupport.KernelBtf, BpfSyscallCounter.ObjectResource);

    /// <summary>
    /// Whether hybrid mode's phase counter (per-phase syscall counts from the kernel, for a command whose gpuos markers
    /// are read) can load here: libbpf, the kernel's BTF, its eBPF object built into this assembly, and the
    /// capabilities. The kernel may still refuse it at load; a trace says whether it ran (Trace.PhaseSyscallsCounted).
    /// </summary>
    public CapabilityCheck CheckPhaseCounter() => CheckHybrid(Libbpf.LibraryName, BpfSupport.KernelBtf, KernelPhaseCounter.ObjectResource);

    /// <summary>
    /// Whether the kernel's API counter (each probed API call's syscalls, switches and faults counted by eBPF, for
    /// --api without --api-samples) can load here: libbpf, the kernel's BTF, its eBPF object built into this assembly,
    /// and the capabilities. The kernel may still refuse it at load; a trace says whether it ran
    /// (Trace.ApiCallsCountedInKernel).
    /// </summary>
    public CapabilityCheck CheckApiCounter() => CheckHybrid(Libbpf.LibraryName, BpfSupport.KernelBtf, KernelApiCounter.ObjectResource);

    /// <summary>
    /// Whether full mode can join each syscall's entry and exit in the kernel here (one eBPF record per call): libbpf,
    /// the kernel's BTF, its eBPF object built into this assembly, and the capabilities. Where it cannot, full mode
    /// pairs perf's sys_enter and sys_exit samples in user space, at a higher cost per syscall, and the trace's notes
    /// say why.
    /// </summary>
    public CapabilityCheck CheckKernelJoinedFull()
    {
        const string id = "perf --mode full, joined in the kernel";
        if (typeof(SyscallRecorder).Assembly.GetManifestResourceInfo(SyscallRecorder.ObjectResource) is null)
        {
            return CapabilityCheck.Unavailable(id, $"this build of GpuOsSpec.Tracing holds no eBPF object ({SyscallRecorder.ObjectResource}): clang, bpftool or the kernel's BTF was missing where it was built",
                "apt-get install clang bpftool libbpf-dev and rebuild; meanwhile full mode pairs perf samples in user space");
        }
        return BpfSupport.Missing() is { } missing
            ? CapabilityCheck.Unavailable(id, missing.Missing, $"{missing.Fix}; meanwhile full mode pairs perf samples in user space")
            : CapabilityCheck.Ok(id);
    }

    /// <param name="library">The libbpf to load; tests name one that does not exist.</param>
    /// <param name="btf">The kernel BTF file; tests name one that does not exist.</param>
    /// <param name="resource">The embedded object; tests name one that does not exist.</param>
    internal static CapabilityCheck CheckHybrid(string library, string btf, string resource)
    {
        const string id = "perf --mode hybrid";
        if (typeof(BpfSyscallCounter).Assembly.GetManifestResourceInfo(resource) is null)
        {
            return CapabilityCheck.Unavailable(id, $"this build of GpuOsSpec.Tracing holds no eBPF object ({resource}): clang, bpftool or the kernel's BTF was missing where it was built",
                "apt-get install clang bpftool libbpf-dev and rebuild; meanwhile --mode full traces every syscall per event");
        }
        return BpfSupport.Missing(library, btf) is { } missing
            ? CapabilityCheck.Unavailable(id, missing.Missing, $"{missing.Fix}; meanwhile --mode full traces every syscall per event")
            : CapabilityCheck.Ok(id);
    }

    /// <inheritdoc/>
    public CapabilityCheck Check()
    {
        if (!OperatingSystem.IsLinux())
        {
            return CapabilityCheck.Unavailable(Id, "perf events exist only on Linux", "run on Linux");
        }
        if (Tracefs.Root is null)
        {
            var (missing, fix) = Tracefs.Diagnose();
            return CapabilityCheck.Unavailable(Id, missing, fix);
        }
        if (Tracefs.EventId("raw_syscalls", "sys_enter") is not { } id)
        {
            return CapabilityCheck.Unavailable(Id, "the tracepoint raw_syscalls:sys_enter is not readable", $"{Tracefs.MountFix}, as root");
        }
        // Opening one tracepoint event on this thread is the only definitive test of permission.
        var attr = new PerfEventAttr
        {
            Type = PerfConstants.TypeTracepoint,
            Size = PerfEventAttr.SizeVer5,
            Config = (ulong)id,
            Flags = PerfConstants.FlagDisabled,
        };
        int fd = Libc.PerfEventOpen(ref attr, 0, -1, -1, PerfConstants.FlagFdCloexec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return CapabilityCheck.Unavailable(Id,
                $"perf_event_open of a tracepoint was refused ({ErrnoNames.Name(errno)}; kernel.perf_event_paranoid={Paranoid()})",
                "run as root, or grant CAP_PERFMON, or sysctl -w kernel.perf_event_paranoid=-1");
        }
        Libc.Close(fd);
        return CapabilityCheck.Ok(Id);
    }
}
