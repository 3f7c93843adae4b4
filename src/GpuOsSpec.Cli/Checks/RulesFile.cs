using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GpuOsSpec.Tracing.Platform.Files;

namespace GpuOsSpec.Cli.Checks;

/// <summary>
/// The rules file of `gpuosspec check` (schema gpuosspec.rules/1), JSON or YAML: which rules run, each one's
/// threshold, steady phases, warm-up runs and parameters. Everything in it is checked before the command runs: an
/// unknown rule, setting or parameter, a threshold that is not a finite number of at least 0, a duplicate key.
/// </summary>
/// <example>
/// <code>
/// {
///   "schema": "gpuosspec.rules/1",
///   "phases": ["train", "train/*"],
///   "rules": {
///     "waits-park": { "enabled": false },
///     "no-switch-storm": { "threshold": 40, "windowMs": 5 }
///   }
/// }
/// </code>
/// </example>
internal static class RulesFile
{
    /// <summary>The schema a rules file names (optional in the file; another one is refused).</summary>
    internal const string Schema = "gpuosspec.rules/1";

    private const long MaxBytes = 1 << 20;

    private static readonly string[] s_topKeys = ["schema", "phases", "warmupRuns", "rules"];

    private static readonly string[] s_ruleKeys = ["enabled", "threshold", "phases", "warmupRuns"];

    /// <summary>Each of <paramref name="rules"/> with its default settings.</summary>
    internal static IReadOnlyList<(ICheckRule Rule, RuleSettings Settings)> Defaults(IReadOnlyList<ICheckRule> rules) =>
        rules.Select(r => (r, RuleSettings.DefaultsOf(r))).ToList();

    /// <summary>Reads the file at <paramref name="path"/> (YAML when it ends in .yml or .yaml, else JSON) and settles
    /// each of <paramref name="rules"/>.</summary>
    /// <exception cref="InvalidDataException">What is wrong, naming the file and the key.</exception>
    internal static IReadOnlyList<(ICheckRule Rule, RuleSettings Settings)> Read(string path, IReadOnlyList<ICheckRule> rules)
    {
        if (RegularFile.Problem(path) is { } problem)
        {
            throw new InvalidDataException($"the rules file {path} {problem}.");
        }
        if (new FileInfo(path).Length > MaxBytes)
        {
            throw new InvalidDataException($"the rules file {path} holds more than {MaxBytes:N0} bytes; a rules file is a few lines.");
        }
        string text = File.ReadAllText(path);
        bool yaml = path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
        return Parse(yaml ? YamlRules.ToJson(text, path) : ParseJson(text, path), path, rules);
    }

    /// <summary>Settles each of <paramref name="rules"/> from a rules document; <paramref name="name"/> names it in
    /// messages.</summary>
    /// <exception cref="InvalidDataException">What is wrong.</exception>
    internal static IReadOnlyList<(ICheckRule Rule, RuleSettings Settings)> Parse(JsonNode? root, string name, IReadOnlyList<ICheckRule> rules)
    {
        if (root is not JsonObject top)
        {
            throw new InvalidDataException($"{name}: a rules file is an object with \"rules\" (and optionally \"schema\", \"phases\", \"warmupRuns\").");
        }
        Keys(top, s_topKeys, name, "");
        if (top["schema"] is { } schema && (schema.GetValueKind() != JsonValueKind.String || schema.GetValue<string>() != Schema))
        {
            throw new InvalidDataException($"{name}: \"schema\" is {schema.ToJsonString()}; this gpuosspec reads {Schema}.");
        }
        var phases = Phases(top["phases"], name, "phases");
        int warmup = top["warmupRuns"] is { } w ? Count(w, name, "warmupRuns") : RuleSettings.DefaultWarmupRuns;
        var configured = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (top["rules"] is { } ruleNode)
        {
            if (ruleNode is not JsonObject byId)
            {
                throw new InvalidDataException($"{name}: \"rules\" is an object from rule id to its settings.");
            }
            foreach (var (id, node) in byId)
            {
                if (!rules.Any(r => r.Id == id))
                {
                    throw new InvalidDataException($"{name}: there is no rule \"{id}\". The rules are: {string.Join(", ", rules.Select(r => r.Id))}.");
                }
                configured[id] = node as JsonObject ?? throw new InvalidDataException($"{name}: rules.{id} is an object of settings ({string.Join(", ", s_ruleKeys)} and the rule's parameters).");
            }
        }
        var settled = new List<(ICheckRule, RuleSettings)>();
        foreach (var rule in rules)
        {
            var settings = RuleSettings.DefaultsOf(rule) with { Phases = phases, WarmupRuns = warmup };
            if (configured.TryGetValue(rule.Id, out var own))
            {
                string where = $"rules.{rule.Id}.";
                Keys(own, [.. s_ruleKeys, .. rule.Parameters.Select(p => p.Name)], name, where);
                var parameters = new Dictionary<string, double>(settings.Parameters);
                foreach (var parameter in rule.Parameters)
                {
                    if (own[parameter.Name] is { } value)
                    {
                        parameters[parameter.Name] = Number(value, name, where + parameter.Name, positive: true);
                    }
                }
                settings = settings with
                {
                    Enabled = own["enabled"] is { } enabled ? Bool(enabled, name, where + "enabled") : true,
                    Threshold = own["threshold"] is { } threshold ? Number(threshold, name, where + "threshold", positive: false) : settings.Threshold,
                    Phases = own["phases"] is { } p ? Phases(p, name, where + "phases") : settings.Phases,
                    WarmupRuns = own["warmupRuns"] is { } runs ? Count(runs, name, where + "warmupRuns") : settings.WarmupRuns,
                    Parameters = parameters,
                };
            }
            settled.Add((rule, settings));
        }
        return settled;
    }

    private static JsonNode? ParseJson(string text, string name)
    {
        try
        {
            // Duplicate keys are refused: which of two thresholds would count is not for the reader to guess.
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{name} is not valid JSON: {ex.Message}");
        }
    }

    private static void Keys(JsonObject obj, IReadOnlyList<string> known, string name, string where)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"{name}: {where}{key} is not a setting; {(where.Length == 0 ? "the file" : where.TrimEnd('.'))} takes {string.Join(", ", known)}.");
            }
        }
    }

    private static IReadOnlyList<string>? Phases(JsonNode? node, string name, string where)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray list || list.Count == 0 || list.Any(p => p is null || p.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetValue<string>())))
        {
            throw new InvalidDataException($"{name}: {where} is a list of phase paths or patterns (\"train\", \"train/*\"), at least one.");
        }
        return list.Select(p => p!.GetValue<string>()).ToList();
    }

    private static double Number(JsonNode node, string name, string where, bool positive)
    {
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out double value) && double.IsFinite(value) && (positive ? value > 0 : value >= 0))
        {
            return value;
        }
        throw new InvalidDataException($"{name}: {where} is {node.ToJsonString()}; it takes a finite number {(positive ? "above 0" : "of at least 0")}.");
    }

    private static int Count(JsonNode node, string name, string where)
    {
        double value = Number(node, name, where, positive: false);
        return value == Math.Floor(value) && value <= 1000 ? (int)value
            : throw new InvalidDataException($"{name}: {where} is {value.ToString(CultureInfo.InvariantCulture)}; it takes a whole number from 0 to 1000.");
    }

    private static bool Bool(JsonNode node, string name, string where) =>
        node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>()
            : throw new InvalidDataException($"{name}: {where} is {node.ToJsonString()}; it takes true or false.");
}
