using System.Text.RegularExpressions;

namespace GpuOsSpec.Tracing.Decoding;

/// <summary>
/// Names ioctl requests from the drivers' public UAPI numbers: NVIDIA RM escapes, NVIDIA UVM, AMD KFD, DRM core and
/// amdgpu. A request that is in no table stays visible with its raw fields.
/// </summary>
public static partial class IoctlDecoder
{
    private const SyscallRole Mem = SyscallRole.Memory;
    private const SyscallRole Ctl = SyscallRole.SubmissionControl;
    private const SyscallRole Sync = SyscallRole.Synchronization;
    private const SyscallRole Oth = SyscallRole.Other;

    // NV_ESC_* (nv_escape.h, nv-ioctl-numbers.h): _IOWR('F', nr, size) on /dev/nvidiactl and /dev/nvidiaN.
    private static readonly Dictionary<int, (string Name, SyscallRole Role)> s_nvidia = new()
    {
        [0x27] = ("NV_ESC_RM_ALLOC_MEMORY", Mem),
        [0x28] = ("NV_ESC_RM_ALLOC_OBJECT", Ctl),
        [0x29] = ("NV_ESC_RM_FREE", Ctl),
        [0x2A] = ("NV_ESC_RM_CONTROL", Ctl),
        [0x2B] = ("NV_ESC_RM_ALLOC", Ctl),
        [0x34] = ("NV_ESC_RM_DUP_OBJECT", Ctl),
        [0x35] = ("NV_ESC_RM_SHARE", Ctl),
        [0x4A] = ("NV_ESC_RM_VID_HEAP_CONTROL", Mem),
        [0x4E] = ("NV_ESC_RM_MAP_MEMORY", Mem),
        [0x4F] = ("NV_ESC_RM_UNMAP_MEMORY", Mem),
        [0x52] = ("NV_ESC_RM_GET_EVENT_DATA", Sync),
        [0x57] = ("NV_ESC_RM_MAP_MEMORY_DMA", Mem),
        [0x58] = ("NV_ESC_RM_UNMAP_MEMORY_DMA", Mem),
        [0x5C] = ("NV_ESC_RM_EXPORT_OBJECT_TO_FD", Mem),
        [0x5D] = ("NV_ESC_RM_IMPORT_OBJECT_FROM_FD", Mem),
        [0x5E] = ("NV_ESC_RM_UPDATE_DEVICE_MAPPING_INFO", Mem),
        [200] = ("NV_ESC_CARD_INFO", Ctl),
        [201] = ("NV_ESC_REGISTER_FD", Ctl),
        [206] = ("NV_ESC_ALLOC_OS_EVENT", Sync),
        [207] = ("NV_ESC_FREE_OS_EVENT", Sync),
        [209] = ("NV_ESC_STATUS_CODE", Ctl),
        [210] = ("NV_ESC_CHECK_VERSION_STR", Ctl),
        [211] = ("NV_ESC_IOCTL_XFER_CMD", Ctl),
        [212] = ("NV_ESC_ATTACH_GPUS_TO_FD", Ctl),
        [214] = ("NV_ESC_SYS_PARAMS", Ctl),
        // 200 + 15, from kernel-open/common/inc/nv-ioctl-numa.h (NVIDIA open kernel modules): the GPU memory NUMA node.
        [215] = ("NV_ESC_NUMA_INFO", Ctl),
        [217] = ("NV_ESC_EXPORT_TO_DMABUF_FD", Mem),
        [218] = ("NV_ESC_WAIT_OPEN_COMPLETE", Ctl),
    };

    // UVM_* (uvm_ioctl.h, uvm_linux_ioctl.h): the request is the plain command number.
    private static readonly Dictionary<ulong, (string Name, SyscallRole Role)> s_uvm = new()
    {
        [0x30000001] = ("UVM_INITIALIZE", Ctl),
        [0x30000002] = ("UVM_DEINITIALIZE", Ctl),
        [1] = ("UVM_RESERVE_VA", Mem),
        [2] = ("UVM_RELEASE_VA", Mem),
        [9] = ("UVM_REGION_COMMIT", Mem),
        [10] = ("UVM_REGION_DECOMMIT", Mem),
        [11] = ("UVM_REGION_SET_STREAM", Ctl),
        [15] = ("UVM_SET_STREAM_RUNNING", Ctl),
        [18] = ("UVM_SET_STREAM_STOPPED", Ctl),
        [20] = ("UVM_RUN_TEST", Oth),
        [21] = ("UVM_ADD_SESSION", Oth),
        [22] = ("UVM_REMOVE_SESSION", Oth),
        [23] = ("UVM_CREATE_RANGE_GROUP", Mem),
        [24] = ("UVM_DESTROY_RANGE_GROUP", Mem),
        [25] = ("UVM_REGISTER_GPU_VASPACE", Mem),
        [26] = ("UVM_UNREGISTER_GPU_VASPACE", Mem),
        [27] = ("UVM_REGISTER_CHANNEL", Ctl),
        [28] = ("UVM_UNREGISTER_CHANNEL", Ctl),
        [29] = ("UVM_ENABLE_PEER_ACCESS", Mem),
        [30] = ("UVM_DISABLE_PEER_ACCESS", Mem),
        [31] = ("UVM_SET_RANGE_GROUP", Mem),
        [33] = ("UVM_MAP_EXTERNAL_ALLOCATION", Mem),
        [34] = ("UVM_FREE", Mem),
        [37] = ("UVM_REGISTER_GPU", Ctl),
        [38] = ("UVM_UNREGISTER_GPU", Ctl),
        [39] = ("UVM_PAGEABLE_MEM_ACCESS", Mem),
        [42] = ("UVM_SET_PREFERRED_LOCATION", Mem),
        [43] = ("UVM_UNSET_PREFERRED_LOCATION", Mem),
        [44] = ("UVM_ENABLE_READ_DUPLICATION", Mem),
        [45] = ("UVM_DISABLE_READ_DUPLICATION", Mem),
        [46] = ("UVM_SET_ACCESSED_BY", Mem),
        [47] = ("UVM_UNSET_ACCESSED_BY", Mem),
        [51] = ("UVM_MIGRATE", Mem),
        [53] = ("UVM_MIGRATE_RANGE_GROUP", Mem),
        [54] = ("UVM_ENABLE_SYSTEM_WIDE_ATOMICS", Mem),
        [55] = ("UVM_DISABLE_SYSTEM_WIDE_ATOMICS", Mem),
        [56] = ("UVM_TOOLS_INIT_EVENT_TRACKER", Oth),
        [57] = ("UVM_TOOLS_SET_NOTIFICATION_THRESHOLD", Oth),
        [58] = ("UVM_TOOLS_EVENT_QUEUE_ENABLE_EVENTS", Oth),
        [59] = ("UVM_TOOLS_EVENT_QUEUE_DISABLE_EVENTS", Oth),
        [60] = ("UVM_TOOLS_ENABLE_COUNTERS", Oth),
        [61] = ("UVM_TOOLS_DISABLE_COUNTERS", Oth),
        [62] = ("UVM_TOOLS_READ_PROCESS_MEMORY", Oth),
        [63] = ("UVM_TOOLS_WRITE_PROCESS_MEMORY", Oth),
        [64] = ("UVM_TOOLS_GET_PROCESSOR_UUID_TABLE", Oth),
        [65] = ("UVM_MAP_DYNAMIC_PARALLELISM_REGION", Mem),
        [66] = ("UVM_UNMAP_EXTERNAL", Mem),
        [67] = ("UVM_TOOLS_FLUSH_EVENTS", Oth),
        [68] = ("UVM_ALLOC_SEMAPHORE_POOL", Sync),
        [69] = ("UVM_CLEAN_UP_ZOMBIE_RESOURCES", Mem),
        [70] = ("UVM_PAGEABLE_MEM_ACCESS_ON_GPU", Mem),
        [71] = ("UVM_POPULATE_PAGEABLE", Mem),
        [72] = ("UVM_VALIDATE_VA_RANGE", Mem),
        [73] = ("UVM_CREATE_EXTERNAL_RANGE", Mem),
        [74] = ("UVM_MAP_EXTERNAL_SPARSE", Mem),
        [75] = ("UVM_MM_INITIALIZE", Mem),
    };

    // AMDKFD_IOC_* (uapi/linux/kfd_ioctl.h): magic 'K'.
    private static readonly Dictionary<int, (string Name, SyscallRole Role)> s_kfd = new()
    {
        [0x01] = ("AMDKFD_IOC_GET_VERSION", Ctl),
        [0x02] = ("AMDKFD_IOC_CREATE_QUEUE", Ctl),
        [0x03] = ("AMDKFD_IOC_DESTROY_QUEUE", Ctl),
        [0x04] = ("AMDKFD_IOC_SET_MEMORY_POLICY", Mem),
        [0x05] = ("AMDKFD_IOC_GET_CLOCK_COUNTERS", Ctl),
        [0x06] = ("AMDKFD_IOC_GET_PROCESS_APERTURES", Mem),
        [0x07] = ("AMDKFD_IOC_UPDATE_QUEUE", Ctl),
        [0x08] = ("AMDKFD_IOC_CREATE_EVENT", Sync),
        [0x09] = ("AMDKFD_IOC_DESTROY_EVENT", Sync),
        [0x0A] = ("AMDKFD_IOC_SET_EVENT", Sync),
        [0x0B] = ("AMDKFD_IOC_RESET_EVENT", Sync),
        [0x0C] = ("AMDKFD_IOC_WAIT_EVENTS", Sync),
        [0x13] = ("AMDKFD_IOC_SET_TRAP_HANDLER", Ctl),
        [0x14] = ("AMDKFD_IOC_GET_PROCESS_APERTURES_NEW", Mem),
        [0x15] = ("AMDKFD_IOC_ACQUIRE_VM", Mem),
        [0x16] = ("AMDKFD_IOC_ALLOC_MEMORY_OF_GPU", Mem),
        [0x17] = ("AMDKFD_IOC_FREE_MEMORY_OF_GPU", Mem),
        [0x18] = ("AMDKFD_IOC_MAP_MEMORY_TO_GPU", Mem),
        [0x19] = ("AMDKFD_IOC_UNMAP_MEMORY_FROM_GPU", Mem),
        [0x1A] = ("AMDKFD_IOC_SET_CU_MASK", Ctl),
        [0x1B] = ("AMDKFD_IOC_GET_QUEUE_WAVE_STATE", Ctl),
        [0x1C] = ("AMDKFD_IOC_GET_DMABUF_INFO", Mem),
        [0x1D] = ("AMDKFD_IOC_IMPORT_DMABUF", Mem),
        [0x1E] = ("AMDKFD_IOC_ALLOC_QUEUE_GWS", Ctl),
        [0x1F] = ("AMDKFD_IOC_SMI_EVENTS", Oth),
        [0x20] = ("AMDKFD_IOC_SVM", Mem),
        [0x21] = ("AMDKFD_IOC_SET_XNACK_MODE", Mem),
        [0x22] = ("AMDKFD_IOC_CRIU_OP", Oth),
        [0x23] = ("AMDKFD_IOC_AVAILABLE_MEMORY", Mem),
        [0x24] = ("AMDKFD_IOC_EXPORT_DMABUF", Mem),
        [0x25] = ("AMDKFD_IOC_RUNTIME_ENABLE", Ctl),
        [0x26] = ("AMDKFD_IOC_DBG_TRAP", Oth),
    };

    // DRM_IOCTL_* (uapi/drm/drm.h): magic 'd', core commands below DRM_COMMAND_BASE (0x40).
    private static readonly Dictionary<int, (string Name, SyscallRole Role)> s_drm = new()
    {
        [0x00] = ("DRM_IOCTL_VERSION", Ctl),
        [0x01] = ("DRM_IOCTL_GET_UNIQUE", Ctl),
        [0x09] = ("DRM_IOCTL_GEM_CLOSE", Mem),
        [0x0A] = ("DRM_IOCTL_GEM_FLINK", Mem),
        [0x0B] = ("DRM_IOCTL_GEM_OPEN", Mem),
        [0x0C] = ("DRM_IOCTL_GET_CAP", Ctl),
        [0x0D] = ("DRM_IOCTL_SET_CLIENT_CAP", Ctl),
        [0x2D] = ("DRM_IOCTL_PRIME_HANDLE_TO_FD", Mem),
        [0x2E] = ("DRM_IOCTL_PRIME_FD_TO_HANDLE", Mem),
        [0xBF] = ("DRM_IOCTL_SYNCOBJ_CREATE", Sync),
        [0xC0] = ("DRM_IOCTL_SYNCOBJ_DESTROY", Sync),
        [0xC1] = ("DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", Sync),
        [0xC2] = ("DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", Sync),
        [0xC3] = ("DRM_IOCTL_SYNCOBJ_WAIT", Sync),
        [0xC4] = ("DRM_IOCTL_SYNCOBJ_RESET", Sync),
        [0xC5] = ("DRM_IOCTL_SYNCOBJ_SIGNAL", Sync),
        [0xCA] = ("DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT", Sync),
        [0xCB] = ("DRM_IOCTL_SYNCOBJ_QUERY", Sync),
        [0xCC] = ("DRM_IOCTL_SYNCOBJ_TRANSFER", Sync),
        [0xCD] = ("DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL", Sync),
        [0xCF] = ("DRM_IOCTL_SYNCOBJ_EVENTFD", Sync),
    };

    // DRM_IOCTL_AMDGPU_* (uapi/drm/amdgpu_drm.h): DRM_COMMAND_BASE + n.
    private static readonly Dictionary<int, (string Name, SyscallRole Role)> s_amdgpu = new()
    {
        [0x00] = ("DRM_IOCTL_AMDGPU_GEM_CREATE", Mem),
        [0x01] = ("DRM_IOCTL_AMDGPU_GEM_MMAP", Mem),
        [0x02] = ("DRM_IOCTL_AMDGPU_CTX", Ctl),
        [0x03] = ("DRM_IOCTL_AMDGPU_BO_LIST", Ctl),
        [0x04] = ("DRM_IOCTL_AMDGPU_CS", Ctl),
        [0x05] = ("DRM_IOCTL_AMDGPU_INFO", Ctl),
        [0x06] = ("DRM_IOCTL_AMDGPU_GEM_METADATA", Mem),
        [0x07] = ("DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE", Sync),
        [0x08] = ("DRM_IOCTL_AMDGPU_GEM_VA", Mem),
        [0x09] = ("DRM_IOCTL_AMDGPU_WAIT_CS", Sync),
        [0x10] = ("DRM_IOCTL_AMDGPU_GEM_OP", Mem),
        [0x11] = ("DRM_IOCTL_AMDGPU_GEM_USERPTR", Mem),
        [0x12] = ("DRM_IOCTL_AMDGPU_WAIT_FENCES", Sync),
        [0x13] = ("DRM_IOCTL_AMDGPU_VM", Mem),
        [0x14] = ("DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE", Sync),
        [0x15] = ("DRM_IOCTL_AMDGPU_SCHED", Ctl),
    };

    // Generic requests any program makes on terminals, sockets and files (asm-generic/ioctls.h, linux/fs.h): the full
    // request code, the same on x86_64 and aarch64. isatty() is TCGETS.
    private static readonly Dictionary<uint, string> s_generic = new()
    {
        [0x5401] = "TCGETS", [0x5402] = "TCSETS", [0x5403] = "TCSETSW", [0x5404] = "TCSETSF",
        [0x540E] = "TIOCSCTTY", [0x540F] = "TIOCGPGRP", [0x5410] = "TIOCSPGRP", [0x5413] = "TIOCGWINSZ",
        [0x5414] = "TIOCSWINSZ", [0x541B] = "FIONREAD", [0x5421] = "FIONBIO", [0x5422] = "TIOCNOTTY",
        [0x5450] = "FIONCLEX", [0x5451] = "FIOCLEX", [0x5452] = "FIOASYNC", [0x802C542A] = "TCGETS2",
        [0x80045430] = "TIOCGPTN", [0x40045431] = "TIOCSPTLCK", [0x80086601] = "FS_IOC_GETFLAGS",
        [0x40086602] = "FS_IOC_SETFLAGS", [0x40049409] = "FICLONE", [0x8912] = "SIOCGIFCONF", [0x8933] = "SIOCGIFINDEX",
    };

    /// <summary>The driver interface behind a device path.</summary>
    public static DeviceFamily FamilyOf(string? devicePath) => devicePath switch
    {
        null => DeviceFamily.Unknown,
        "/dev/nvidiactl" => DeviceFamily.Nvidia,
        "/dev/nvidia-uvm" or "/dev/nvidia-uvm-tools" => DeviceFamily.NvidiaUvm,
        "/dev/kfd" => DeviceFamily.AmdKfd,
        _ when NvidiaDevice().IsMatch(devicePath) => DeviceFamily.Nvidia,
        _ when devicePath.StartsWith("/dev/dri/", StringComparison.Ordinal) => DeviceFamily.Drm,
        _ => DeviceFamily.Unknown,
    };

    /// <summary>Decodes <paramref name="request"/> issued on <paramref name="devicePath"/>.</summary>
    /// <param name="devicePath">The fd's path, or null when it could not be resolved.</param>
    /// <param name="fd">The fd, used to name the device when the path is unknown.</param>
    /// <param name="request">The ioctl request argument.</param>
    /// <param name="drmDriver">For a DRM device, the kernel driver's name (amdgpu, i915, ...) when known.</param>
    public static IoctlInfo Decode(string? devicePath, long fd, ulong request, string? drmDriver = null)
    {
        var code = new IoctlCode(request & 0xFFFFFFFF);
        var family = FamilyOf(devicePath);
        string device = devicePath ?? $"fd {fd}";
        (string Name, SyscallRole Role)? hit = family switch
        {
            DeviceFamily.Nvidia when code.Type == 'F' && s_nvidia.TryGetValue(code.Number, out var e) => e,
            DeviceFamily.NvidiaUvm when s_uvm.TryGetValue(code.Raw, out var e) => e,
            DeviceFamily.AmdKfd when code.Type == 'K' && s_kfd.TryGetValue(code.Number, out var e) => e,
            DeviceFamily.Drm when code.Type == 'd' && code.Number < 0x40 && s_drm.TryGetValue(code.Number, out var e) => e,
            DeviceFamily.Drm when code.Type == 'd' && code.Number is >= 0x40 and < 0xA0 && drmDriver == "amdgpu"
                && s_amdgpu.TryGetValue(code.Number - 0x40, out var e) => e,
            _ => null,
        };
        if (hit is null && s_generic.TryGetValue((uint)code.Raw, out string? generic))
        {
            hit = (generic, SyscallRole.DeviceFileIo);
        }
        return new IoctlInfo(device, family, code, hit?.Name, hit?.Role ?? DefaultRole(family));
    }

    // An unnamed request on a GPU device is still driver traffic; on anything else it is plain I/O.
    private static SyscallRole DefaultRole(DeviceFamily family) =>
        family == DeviceFamily.Unknown ? SyscallRole.DeviceFileIo : SyscallRole.SubmissionControl;

    [GeneratedRegex(@"^/dev/nvidia\d+$")]
    private static partial Regex NvidiaDevice();
}
