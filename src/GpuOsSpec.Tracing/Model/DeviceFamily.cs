namespace GpuOsSpec.Tracing.Model;

/// <summary>The driver interfaces whose ioctls GpuOsSpec names.</summary>
public enum DeviceFamily
{
    /// <summary>Not a GPU device (or not resolved).</summary>
    Unknown,
    /// <summary>NVIDIA resource manager: /dev/nvidiactl and /dev/nvidiaN.</summary>
    Nvidia,
    /// <summary>NVIDIA unified memory: /dev/nvidia-uvm and /dev/nvidia-uvm-tools.</summary>
    NvidiaUvm,
    /// <summary>AMD kernel fusion driver: /dev/kfd.</summary>
    AmdKfd,
    /// <summary>DRM core and a DRM driver: /dev/dri/cardN, /dev/dri/renderDN.</summary>
    Drm,
}
