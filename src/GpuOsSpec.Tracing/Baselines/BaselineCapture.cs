using System.Text.Json.Serialization;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>How a profile's runs were captured: what a later run must be able to measure to be held to it.</summary>
/// <param name="Source">The capture source.</param>
/// <param name="Mode">How syscalls were recorded.</param>
/// <param name="ApiLibraries">The vendor libraries whose API calls were probed (sonames); empty when none.</param>
/// <param name="Markers">True when gpuos markers were read (the phases of a command come from them).</param>
public sealed record BaselineCapture(
    [property: JsonConverter(typeof(JsonStringEnumConverter<CaptureSourceKind>))] CaptureSourceKind Source,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CaptureMode>))] CaptureMode Mode,
    IReadOnlyList<string> ApiLibraries,
    bool Markers)
{
    /// <summary>The capture of <paramref name="trace"/>.</summary>
    public static BaselineCapture Of(Trace trace) =>
        new(trace.Source, trace.Mode, trace.ApiLibrariesProbed.Order(StringComparer.Ordinal).ToList(), trace.Phases.Any(p => p.Origin == PhaseOrigin.GpuOsMarkers) || trace.MarkersRead);

    /// <summary>"perf (full), API calls of libcuda.so.1 probed".</summary>
    public override string ToString() =>
        $"{GpuOsSpec.Tracing.Model.CaptureNames.Of(Source)} ({GpuOsSpec.Tracing.Model.CaptureNames.Of(Mode)}){(ApiLibraries.Count > 0 ? $", API calls of {string.Join(", ", ApiLibraries)} probed" : "")}";
}
