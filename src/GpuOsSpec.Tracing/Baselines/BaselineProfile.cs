using System.Text.Json;
using System.Text.Json.Serialization;

namespace GpuOsSpec.Tracing.Baselines;

/// <summary>
/// An OS-interaction profile of a command (schema gpuosspec.baseline/2): per phase and for the whole capture, counts
/// per run by syscall, ioctl, role and API call, voluntary switches, page faults, wall time and on-CPU time per thread
/// origin, each the median over one or more recorded runs with the largest beside it; which kinds each scope measured;
/// and the machine, driver and capture it ran on.
/// </summary>
public sealed record BaselineProfile
{
    /// <summary>The schema this type reads and writes.</summary>
    public const string SchemaVersion = "gpuosspec.baseline/2";

    /// <summary>The scope name of the whole capture.</summary>
    public const string Whole = "(whole)";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A profile is read strictly: a field it does not know is a profile of another shape, not one to guess at.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The schema.</summary>
    public required string Schema { get; init; }

    /// <summary>The traced command.</summary>
    public required string Target { get; init; }

    /// <summary>The machine.</summary>
    public required BaselineMachine Machine { get; init; }

    /// <summary>How the runs were captured.</summary>
    public required BaselineCapture Capture { get; init; }

    /// <summary>When it was recorded (UTC).</summary>
    public required DateTime RecordedUtc { get; init; }

    /// <summary>How many runs of the command the figures summarize.</summary>
    public required int Recordings { get; init; }

    /// <summary>Every scope: the whole capture and each phase path, with the kinds measured in it.</summary>
    public required IReadOnlyList<BaselineScopeProfile> Scopes { get; init; }

    /// <summary>The figures.</summary>
    public required IReadOnlyList<BaselineEntry> Entries { get; init; }

    /// <summary>The profile of one run.</summary>
    /// <exception cref="ArgumentException">When the run cannot be a baseline
    /// (see <see cref="Of(IReadOnlyList{Trace})"/>).</exception>
    public static BaselineProfile Of(Trace trace) => Of([trace]);

    /// <summary>
    /// The profile of several runs of one command: each figure the median of its runs, with the largest beside it. A
    /// figure a run did not have (a syscall it never made) counts as 0 in that run, since the kind was measured.
    /// </summary>
    /// <exception cref="ArgumentException"> When there is no run, or a run is inconclusive, failed, measured no
    /// syscalls, or captured differently from the first: a baseline of nothing, or of a failure, is refused.
    /// </exception>
    public static BaselineProfile Of(IReadOnlyList<Trace> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            throw new ArgumentException("A baseline needs at least one run.", nameof(traces));
        }
        var capture = BaselineCapture.Of(traces[0]);
        for (int i = 0; i < traces.Count; i++)
        {
            var trace = traces[i];
            string run = traces.Count > 1 ? $"run {i + 1}: " : "";
            if (trace.InconclusiveReason is { } why)
            {
                throw new ArgumentException($"{run}An inconclusive trace cannot be a baseline: {why}.", nameof(traces));
            }
            if (!trace.SyscallsMeasured)
            {
                throw new ArgumentException($"{run}A trace without syscalls (the proc source) cannot be a baseline: trace with perf or strace.", nameof(traces));
            }
            if (trace.ExitCode is { } code and not 0)
            {
                throw new ArgumentException($"{run}The command {(trace.Signal is { } s ? $"was killed by signal {s}" : $"exited with {code}")}; a failed run cannot be a baseline.", nameof(traces));
            }
            if (BaselineCapture.Of(trace) is var other && (other.Source != capture.Source || other.Mode != capture.Mode || !other.ApiLibraries.SequenceEqual(capture.ApiLibraries)))
            {
                throw new ArgumentException($"{run}Captured as {other}, not as the first run ({capture}); record every run the same way.", nameof(traces));
            }
        }
        var paths = traces.SelectMany(t => t.Phases.Select(p => p.Path)).Distinct().Order(StringComparer.Ordinal).ToList();
        var scopes = new List<BaselineScopeProfile>();
        var entries = new List<BaselineEntry>();
        foreach (string scope in paths.Prepend(Whole))
        {
            bool whole = scope == Whole;
            var missing = traces.Select((t, i) => (t, i)).Where(x => !whole && x.t.Phases.All(p => p.Path != scope)).Select(x => x.i + 1).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"Phase \"{scope}\" is missing from run(s) {string.Join(", ", missing)} of {traces.Count}: the runs differ in what they do, so they cannot be one baseline.", nameof(traces));
            }
            var measured = traces.Select(t => BaselineFigures.Measured(t, whole)).Aggregate((a, b) => a.Intersect(b).ToList());
            double runs = whole ? 1 : Median.Of(traces.Select(t => (double)t.FindPhaseRuns(scope).Count).ToList());
            scopes.Add(new BaselineScopeProfile(scope, runs, measured));
            var perTrace = traces.Select(t => BaselineFigures.Of(t, scope).Where(f => measured.Contains(f.Kind)).ToDictionary(f => (f.Kind, f.Name), f => f.PerRun)).ToList();
            foreach (var key in perTrace.SelectMany(d => d.Keys).Distinct().OrderBy(k => k.Kind).ThenBy(k => k.Name, StringComparer.Ordinal))
            {
                var values = perTrace.Select(d => d.GetValueOrDefault(key)).ToList();
                entries.Add(new BaselineEntry(scope, key.Kind, key.Name, Median.Of(values), values.Max()));
            }
        }
        return new BaselineProfile
        {
            Schema = SchemaVersion,
            Target = traces[0].Target,
            Machine = BaselineMachine.Of(traces[0]),
            Capture = capture,
            RecordedUtc = DateTime.UtcNow,
            Recordings = traces.Count,
            Scopes = scopes,
            Entries = entries,
        };
    }

    /// <summary>The scope <paramref name="scope"/>, or null.</summary>
    public BaselineScopeProfile? ScopeNamed(string scope) => Scopes.FirstOrDefault(s => s.Scope == scope);

    /// <summary>Writes the profile as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));

    /// <summary>Reads and validates a profile.</summary>
    /// <exception cref="InvalidDataException">When the file is not a
    /// valid gpuosspec.baseline/2 profile; the message names the file, says what is wrong and how to fix
    /// it.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public static BaselineProfile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        // Regular files of sane size only: a fifo would block the read, /dev/zero would never end it.
        if (RegularFile.Problem(path) is { } problem)
        {
            throw new InvalidDataException(
                problem.StartsWith("does not exist", StringComparison.Ordinal)
                    ? $"{path} {problem}. Record one first: gpuosspec baseline record --out {path} -- COMMAND."
                    : $"{path} is not a baseline profile: it {problem}."
            );
        }
        if (info.Length > MaxBytes)
        {
            throw new InvalidDataException($"{path} is not a baseline profile: it holds {info.Length:N0} bytes, more than the {MaxBytes:N0} a profile may.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The largest profile read: far above any real one (a few hundred kilobytes for a large
    /// program).</summary>
    internal const long MaxBytes = 64L << 20;

    /// <summary>Reads and validates the text of a profile; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">When it is not a valid gpuosspec.baseline/2 profile.</exception>
    public static BaselineProfile Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? schema;
        try
        {
            using var doc = JsonDocument.Parse(text);
            schema = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{name} is not a baseline profile: {ex.Message}", ex);
        }
        // The schema first, so a profile of another version is told so rather than which fields it lacks.
        if (schema != SchemaVersion)
        {
            throw new InvalidDataException($"{name} is not a {SchemaVersion} profile (schema {(schema is null ? "missing" : $"\"{schema}\"")}). Record it again with this version: gpuosspec baseline record.");
        }
        BaselineProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<BaselineProfile>(text, s_json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{name} is not a valid {SchemaVersion} profile: {ex.Message} Record it again: gpuosspec baseline record.", ex);
        }
        if (profile is null || profile.Problem() is { } problem)
        {
            throw new InvalidDataException($"{name} is not a valid {SchemaVersion} profile: {(profile is null ? "it is null" : profile.Problem())}. Record it again: gpuosspec baseline record.");
        }
        return profile;
    }

    /// <summary>What makes this profile unusable, or null: nulls, duplicates, figures that are not finite and at least
    /// 0, entries of scopes or kinds it never measured.</summary>
    internal string? Problem()
    {
        if (Target is null || Machine is null || Machine.Host is null || Machine.Architecture is null || Machine.Kernel is null
            || Capture is null || Capture.ApiLibraries is null || Capture.ApiLibraries.Any(l => l is null) || Scopes is null || Entries is null)
        {
            return "a required field is null";
        }
        if (!Enum.IsDefined(Capture.Source) || !Enum.IsDefined(Capture.Mode))
        {
            return "its capture names an unknown source or mode";
        }
        if (Recordings < 1)
        {
            return $"it summarizes {Recordings} runs; a profile needs at least one";
        }
        var scopes = new Dictionary<string, BaselineScopeProfile>(StringComparer.Ordinal);
        foreach (var scope in Scopes)
        {
            if (scope is null || scope.Scope is null || scope.Measured is null || scope.Measured.Any(k => !Enum.IsDefined(k)))
            {
                return "a scope is null, unnamed or lists an unknown kind";
            }
            if (!scopes.TryAdd(scope.Scope, scope))
            {
                return $"scope \"{scope.Scope}\" appears twice";
            }
            if (!double.IsFinite(scope.Runs) || scope.Runs <= 0 || scope.Scope == Whole && scope.Runs != 1)
            {
                return $"scope \"{scope.Scope}\" ran {scope.Runs} times per run";
            }
            if (scope.Measured.Distinct().Count() != scope.Measured.Count)
            {
                return $"scope \"{scope.Scope}\" lists a measured kind twice";
            }
        }
        if (!scopes.ContainsKey(Whole))
        {
            return $"it has no {Whole} scope";
        }
        var keys = new HashSet<(string, BaselineKind, string)>();
        foreach (var entry in Entries)
        {
            if (entry is null || entry.Scope is null || entry.Name is null || !Enum.IsDefined(entry.Kind))
            {
                return "an entry is null, or has no scope, name or known kind";
            }
            if (!scopes.TryGetValue(entry.Scope, out var scope))
            {
                return $"an entry names scope \"{entry.Scope}\", which the profile does not list";
            }
            if (!scope.Measured.Contains(entry.Kind))
            {
                return $"an entry holds {entry.Kind} in \"{entry.Scope}\", where the profile says it was not measured";
            }
            if (!double.IsFinite(entry.PerRun) || !double.IsFinite(entry.Max) || entry.PerRun < 0 || entry.Max < entry.PerRun)
            {
                return $"entry {entry.Kind} \"{entry.Name}\" in \"{entry.Scope}\" has a figure that is not a finite number of at least 0 (per run {entry.PerRun}, max {entry.Max})";
            }
            if (!keys.Add(entry.Key))
            {
                return $"entry {entry.Kind} \"{entry.Name}\" in \"{entry.Scope}\" appears twice";
            }
        }
        return null;
    }
}
