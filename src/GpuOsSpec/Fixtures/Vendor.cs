namespace GpuOsSpec.Fixtures;

/// <summary>
/// The vendor stack behind a context, the key specs write their per-vendor expectations under: cuda, hip, cpu,
/// opencl-pocl, opencl-nvidia, opencl-amd, opencl-intel, or opencl-other.
/// </summary>
public static class Vendor
{
    /// <summary>The vendor key of <paramref name="context"/>.</summary>
    public static string Of(IGpuContext context) => VendorKey.Of(context.Backend, context.Device.Name);

    /// <summary>
    /// The expectation written down for <paramref name="context"/>'s vendor.
    /// </summary>
    /// <exception cref="Cases.GpuRequirementException">When none is written down: an unknown outcome must not
    /// pass.</exception>
    public static T Expectation<T>(IGpuContext context, IReadOnlyDictionary<string, T> byVendor) => Expectation(Of(context), byVendor);

    /// <summary>The expectation written down for the vendor key <paramref name="vendor"/>.</summary>
    /// <exception cref="Cases.GpuRequirementException">When none is written down: an unknown outcome must not
    /// pass.</exception>
    public static T Expectation<T>(string vendor, IReadOnlyDictionary<string, T> byVendor) =>
        byVendor.TryGetValue(vendor, out var expected)
            ? expected
            : throw new Cases.GpuRequirementException($"No expectation is written down for vendor \"{vendor}\"; add one to the spec. Known: {string.Join(", ", byVendor.Keys)}.");
}
