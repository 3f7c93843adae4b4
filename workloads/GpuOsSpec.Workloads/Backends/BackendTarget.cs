using System.Globalization;
namespace GpuOsSpec.Workloads.Backends;

/// <summary>A backend and one of its devices, written "cuda" (device 0) or "opencl:1": the one parser the plugin, the
/// CLI and the tests share.</summary>
/// <param name="Backend">cuda, opencl, hip or cpu.</param>
/// <param name="Device">The
/// device index.</param>
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

    /// <inheritdoc/>
    public override string ToString() => Device == 0 ? Backend : $"{Backend}:{Device}";
}
