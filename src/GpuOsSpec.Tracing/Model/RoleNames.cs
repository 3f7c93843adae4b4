namespace GpuOsSpec.Tracing.Model;

/// <summary>The stable names roles have in exports and reports.</summary>
public static class RoleNames
{
    /// <summary>"memory", "submission/control", "synchronization", "scheduling", "device/file I/O" or
    /// "other".</summary>
    public static string Of(SyscallRole role) => role switch
    {
        SyscallRole.Memory => "memory",
        SyscallRole.SubmissionControl => "submission/control",
        SyscallRole.Synchronization => "synchronization",
        SyscallRole.Scheduling => "scheduling",
        SyscallRole.DeviceFileIo => "device/file I/O",
        _ => "other",
    };
}
