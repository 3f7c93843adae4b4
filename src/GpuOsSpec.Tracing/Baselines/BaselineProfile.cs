using System.Text.Json;
using System.Text.Json.Serialization;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>Where a baseline was recorded: profiles from other machines or drivers are not compared.</summary>
/// <param name="Host">The host name.</param>
/// <param name="Architecture">x86_64 or aarch64.</param>
/// <param name="Kernel">uname -r.</param>
/// <param name="Driver">The NVIDIA driver version (/proc/driver/nvidia/version), or null where none is loaded.</param>
public sealed record BaselineMachine(string Host, string Architecture, string Kernel, string? Driver)
{
    /// <summary>This machine, for a trace that ran here.</summary>
    public static BaselineMachine Of(Trace trace) => new(Environment.MachineName, trace.Architecture, trace.KernelRelease, NvidiaDriver());

    /// <summary>The loaded NVIDIA kernel driver's version, or null.</summary>
    public static string? NvidiaDriver()
    {
        const string file = "/proc/driver/nvidia/version";
        if (!File.Exists(file))
        {
            return null;
        }
        // "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build ..."
        string first = File.ReadLines(file).FirstOrDefault() ?? "";
        return first.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Count(c => c == '.') >= 1 && char.IsDigit(w[0])) ?? first.Trim();
    }
}

/// <summary>What an OS-interaction profile counts: a syscall by name, an ioctl by decoded name and device, a role, or an API call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BaselineKind>))]
public enum BaselineKind
{
    /// <summary>Calls of one syscall.</summary>
    Syscall,

    /// <summary>Calls of one decoded ioctl on one device.</summary>
    Ioctl,

    /// <summary>Syscalls of one role.</summary>
    Role,

    /// <summary>Calls of one vendor API function.</summary>
    ApiCalls,

    /// <summary>Syscalls made inside one vendor API function.</summary>
    ApiSyscalls,

    /// <summary>Voluntary context switches.</summary>
    VoluntarySwitches,
}

/// <summary>One figure of a profile: in a scope (the whole capture, or a phase path), per run of that scope.</summary>
/// <param name="Scope">"(whole)" or a phase path.</param>
/// <param name="Kind">What is counted.</param>
/// <param name="Name">The syscall, ioctl, role or API function (empty for switches).</param>
/// <param name="PerRun">The count divided by the scope's runs (1 for the whole capture).</param>
public sealed record BaselineEntry(string Scope, BaselineKind Kind, string Name, double PerRun)
{
    /// <summary>The key entries are matched by.</summary>
    [JsonIgnore]
    public string Key => $"{Scope}|{Kind}|{Name}";
}

/// <summary>
/// An OS-interaction profile of one run (schema gpuosspec.baseline/1): per phase and for the whole capture, counts per
/// run by syscall, ioctl, role and API call, with the machine and driver it ran on.
/// </summary>
public sealed record BaselineProfile
{
    /// <summary>The schema this type reads and writes.</summary>
    public const string SchemaVersion = "gpuosspec.baseline/1";

    /// <summary>The scope name of the whole capture.</summary>
    public const string Whole = "(whole)";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The schema.</summary>
    public required string Schema { get; init; }

    /// <summary>The traced command.</summary>
    public required string Target { get; init; }

    /// <summary>The machine.</summary>
    public required BaselineMachine Machine { get; init; }

    /// <summary>The capture's source and mode ("perf (full)").</summary>
    public required string Capture { get; init; }

    /// <summary>When it was recorded (UTC).</summary>
    public required DateTime RecordedUtc { get; init; }

    /// <summary>Runs of each phase path.</summary>
    public required IReadOnlyDictionary<string, int> PhaseRuns { get; init; }

    /// <summary>The figures.</summary>
    public required IReadOnlyList<BaselineEntry> Entries { get; init; }

    /// <summary>The profile of <paramref name="trace"/>.</summary>
    /// <exception cref="ArgumentException">When the trace is inconclusive or measured no syscalls: a baseline of nothing is refused.</exception>
    public static BaselineProfile Of(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.InconclusiveReason is { } why)
        {
            throw new ArgumentException($"An inconclusive trace cannot be a baseline: {why}.", nameof(trace));
        }
        if (!trace.SyscallsMeasured)
        {
            throw new ArgumentException("A trace without syscalls (the proc source) cannot be a baseline: trace with perf or strace.", nameof(trace));
        }
        var entries = new List<BaselineEntry>();
        var runs = trace.Phases.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Count());
        Add(entries, Whole, trace.AllThreads(), 1);
        foreach (var (path, count) in runs)
        {
            Add(entries, path, trace.AllThreads().InPhase(path), count);
        }
        return new BaselineProfile
        {
            Schema = SchemaVersion,
            Target = trace.Target,
            Machine = BaselineMachine.Of(trace),
            Capture = $"{Export.CaptureNames.Of(trace.Source)} ({Export.CaptureNames.Of(trace.Mode)})",
            RecordedUtc = DateTime.UtcNow,
            PhaseRuns = runs,
            Entries = entries,
        };
    }

    // Per-event syscalls only in a phase (the kernel's counted totals have no phase), every total for the whole capture.
    private static void Add(List<BaselineEntry> entries, string scope, TraceView view, int runs)
    {
        var totals = scope == Whole ? view.Trace.SyscallTotals.Select(t => (t.Name, t.Count)) : view.Syscalls.GroupBy(s => s.Name).Select(g => (Name: g.Key, Count: (long)g.Count()));
        entries.AddRange(totals.Select(t => new BaselineEntry(scope, BaselineKind.Syscall, t.Name, (double)t.Count / runs)));
        entries.AddRange(view.Ioctls().GroupBy(i => $"{i.Name} {DeviceKind(i.Device)}")
            .Select(g => new BaselineEntry(scope, BaselineKind.Ioctl, g.Key, (double)g.Sum(i => i.Count) / runs)));
        entries.AddRange(view.CountByRole().Where(r => r.Value.Value is > 0).Select(r => new BaselineEntry(scope, BaselineKind.Role, Export.RoleNames.Of(r.Key), (double)r.Value.Value!.Value / runs)));
        foreach (var a in view.ApiCosts())
        {
            entries.Add(new BaselineEntry(scope, BaselineKind.ApiCalls, a.Name, (double)a.Calls / runs));
            entries.Add(new BaselineEntry(scope, BaselineKind.ApiSyscalls, a.Name, (double)a.Syscalls / runs));
        }
        if (view.VoluntarySwitches().Value is { } voluntary)
        {
            entries.Add(new BaselineEntry(scope, BaselineKind.VoluntarySwitches, "", (double)voluntary / runs));
        }
    }

    /// <summary>
    /// A device as a profile keys it: device files by path (/dev/nvidiactl), everything else by kind (pipe, socket,
    /// file), since a terminal ioctl on stdout names whatever stdout was redirected to in that run.
    /// </summary>
    internal static string DeviceKind(string device) =>
        device.StartsWith("/dev/", StringComparison.Ordinal) && !device.StartsWith("/dev/pts/", StringComparison.Ordinal) && !device.StartsWith("/dev/tty", StringComparison.Ordinal)
            ? device
            : "(other fd)";

    /// <summary>Writes the profile as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));

    /// <summary>Reads a profile.</summary>
    /// <exception cref="InvalidDataException">When the file is not a gpuosspec.baseline/1 profile; the message names the file and says why.</exception>
    public static BaselineProfile Load(string path)
    {
        string text = File.ReadAllText(path);
        string? schema;
        try
        {
            using var doc = JsonDocument.Parse(text);
            schema = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a baseline profile: {ex.Message}", ex);
        }
        // The schema first, so a profile of another version is told so rather than which fields it lacks.
        if (schema != SchemaVersion)
        {
            throw new InvalidDataException($"{path} is not a {SchemaVersion} profile (schema {(schema is null ? "missing" : $"\"{schema}\"")}). Record it again with this version: gpuosspec baseline record.");
        }
        try
        {
            return JsonSerializer.Deserialize<BaselineProfile>(text, s_json) is { Entries: not null, Machine: not null } profile
                ? profile
                : throw new InvalidDataException($"{path} is a {SchemaVersion} profile without entries or machine. Record it again: gpuosspec baseline record.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid {SchemaVersion} profile: {ex.Message}", ex);
        }
    }
}
