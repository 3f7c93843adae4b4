using System.Globalization;
using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Fixtures;

/// <summary>A backend and one of its devices, written "cuda" (device 0) or "opencl:1".</summary>
/// <param name="Backend">cuda, opencl, hip or cpu.</param>
/// <param name="Device">The device index.</param>
public readonly record struct BackendTarget(string Backend, int Device)
{
    /// <summary>Parses "opencl:1" or "cuda".</summary>
    /// <exception cref="ArgumentException">When the device part is not a non-negative integer.</exception>
    public static BackendTarget Parse(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            return new BackendTarget(text, 0);
        }
        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int device)
            ? new BackendTarget(text[..colon], device)
            : throw new ArgumentException($"\"{text}\" is not a backend target; write BACKEND or BACKEND:DEVICE, e.g. opencl:1.", nameof(text));
    }

    /// <summary>Every target worth a spec case: each backend's first device, and every further OpenCL device (one per vendor driver).</summary>
    public static IEnumerable<string> Expand(IEnumerable<string> backends)
    {
        foreach (string name in backends)
        {
            yield return name;
            if (name == "opencl")
            {
                int devices = RuntimeThreads.Observe(() => BackendRegistry.Get(name).Discover()).Devices.Count;
                for (int d = 1; d < devices; d++)
                {
                    yield return $"opencl:{d}";
                }
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Device == 0 ? Backend : $"{Backend}:{Device}";
}
