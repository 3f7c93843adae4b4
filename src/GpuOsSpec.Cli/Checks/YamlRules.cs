using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GpuOsSpec.Cli.Checks;

/// <summary>
/// A YAML rules file as the JSON document the rules reader checks: mappings become objects, sequences arrays, and a
/// plain scalar a number, true, false or null where it reads as one (YAML 1.2's core schema), else a string; a quoted
/// scalar is always a string. One document, no duplicate keys, no anchors or aliases.
/// </summary>
internal static partial class YamlRules
{
    /// <summary>The YAML <paramref name="text"/> as JSON; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">When it is not one YAML document of mappings, sequences and
    /// scalars.</exception>
    internal static JsonNode? ToJson(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"{name} is not valid YAML: {ex.Message}");
        }
        if (stream.Documents.Count != 1)
        {
            throw new InvalidDataException($"{name} holds {stream.Documents.Count} YAML documents; a rules file is one.");
        }
        return Convert(stream.Documents[0].RootNode, name);
    }

    private static JsonNode? Convert(YamlNode node, string name)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    string k = key is YamlScalarNode { Value: { } s } ? s : throw new InvalidDataException($"{name}: a key at {key.Start} is not a plain name.");
                    if (obj.ContainsKey(k))
                    {
                        throw new InvalidDataException($"{name}: the key \"{k}\" appears twice ({key.Start}).");
                    }
                    obj[k] = Convert(value, name);
                }
                return obj;
            case YamlSequenceNode list:
                var array = new JsonArray();
                foreach (var item in list.Children)
                {
                    array.Add(Convert(item, name));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidDataException($"{name}: the node at {node.Start} is not a mapping, sequence or scalar (aliases are not read).");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when CoreNumber().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    // YAML 1.2 core schema's decimal numbers (no hex, octal, infinities or NaN: a threshold is a plain number).
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreNumber();
}
