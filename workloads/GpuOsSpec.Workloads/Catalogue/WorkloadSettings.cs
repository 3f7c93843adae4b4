using System.Globalization;
using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Catalogue;

/// <summary>A workload's parameters resolved: defaults (or --smoke values) overridden by what the user set.</summary>
public sealed class WorkloadSettings
{
    private readonly Dictionary<string, string> _values;

    private WorkloadSettings(Dictionary<string, string> values) => _values = values;

    /// <summary>The values by name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Resolves settings for <paramref name="workload"/>.</summary>
    /// <exception cref="ArgumentException">For an
    /// unknown parameter or a bad value; the message lists what is valid.</exception>
    public static WorkloadSettings Resolve(IWorkload workload, IReadOnlyDictionary<string, string> overrides, bool smoke)
    {
        var values = workload.Parameters.ToDictionary(p => p.Name, p => smoke ? p.Smoke : p.Default, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            var parameter = workload.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ArgumentException($"The workload {workload.Name} has no parameter \"{name}\". Its parameters: {Describe(workload)}.");
            if (parameter.Validate(value) is { } error)
            {
                throw new ArgumentException($"{workload.Name}: {error}.");
            }
            values[name] = value;
        }
        return new WorkloadSettings(values);
    }

    /// <summary>"launches (int, default 10000), sync (auto|spin|yield|blocking, default auto)".</summary>
    public static string Describe(IWorkload workload) =>
        workload.Parameters.Count == 0 ? "none" : string.Join(", ", workload.Parameters.Select(p => $"{p.Name} ({p.Kind}, default {p.Default})"));

    /// <summary>An integer parameter.</summary>
    public long Int(string name) => long.Parse(_values[name], CultureInfo.InvariantCulture);

    /// <summary>A list parameter.</summary>
    public IReadOnlyList<long> List(string name) => _values[name].Split(',').Select(v => long.Parse(v.Trim(), CultureInfo.InvariantCulture)).ToList();

    /// <summary>A word parameter.</summary>
    public string Word(string name) => _values[name];

    /// <summary>The sync parameter as a <see cref="SyncMode"/>.</summary>
    public SyncMode Sync => _values.TryGetValue("sync", out string? s)
        ? s switch { "spin" => SyncMode.Spin, "yield" => SyncMode.Yield, "blocking" => SyncMode.Blocking, _ => SyncMode.Auto }
        : SyncMode.Auto;
}
