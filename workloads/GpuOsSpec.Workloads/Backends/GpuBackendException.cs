namespace GpuOsSpec.Workloads.Backends;

/// <summary>A vendor call failed. The message names the call and the vendor's error: "cuLaunchKernel:
/// CUDA_ERROR_INVALID_VALUE".</summary>
public sealed class GpuBackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuBackendException(string call, string vendorError, long code, string? detail = null)
        : base($"{call}: {vendorError}{(detail is null ? "" : $" ({detail})")}")
    {
        Call = call;
        VendorError = vendorError;
        Code = code;
    }

    /// <summary>The native call that failed.</summary>
    public string Call { get; }

    /// <summary>The vendor's name for the error.</summary>
    public string VendorError { get; }

    /// <summary>The raw error code.</summary>
    public long Code { get; }
}
