namespace GpuOsSpec.Specs.Support;

/// <summary>The vendor stacks the specs write expectations for.</summary>
public static class Vendors
{
    /// <summary>cuda, hip, cpu, opencl-pocl, opencl-nvidia.</summary>
    public static IReadOnlyList<string> Known { get; } = ["cuda", "hip", "cpu", "opencl-pocl", "opencl-nvidia"];

    /// <summary>The same expectation for every known vendor, then the exceptions written down.</summary>
    public static IReadOnlyDictionary<string, Expected> Same(Expected expected, params (string Vendor, Expected Expected)[] except)
    {
        var table = Known.ToDictionary(v => v, _ => expected);
        foreach (var (vendor, e) in except)
        {
            table[vendor] = e;
        }
        return table;
    }
}
