using System.Text.Json;

namespace GpuOsSpec.Cli.Map;

/// <summary>
/// Joins maps from several machines into one: each machine's backends keep their machine's name in their key, so runs
/// from different machines stand side by side and are never averaged. Maps of another schema version are refused.
/// </summary>
internal static class MapMerge
{
    internal static MapModel Merge(IReadOnlyList<string> files)
    {
        var machines = new List<MapMachine>();
        var cells = new List<MapCell>();
        foreach (string file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new InvalidDataException($"cannot read {file}: {ex.Message} Fix: pass map.json files, not folders.");
            }
            var map = Parse(text, file);
            foreach (var machine in map.Machines)
            {
                if (machines.Any(m => m.Backends.Select(b => b.Key).Intersect(machine.Backends.Select(b => b.Key)).Any()))
                {
                    throw new InvalidDataException($"{file}: machine \"{machine.Name}\" is already in the merge; give each machine its own --machine name so their runs stay apart.");
                }
                machines.Add(machine);
            }
            cells.AddRange(map.Cells);
        }
        return new MapModel(MapModel.CurrentSchema, machines, cells, MapFindings.Of(cells));
    }

    /// <summary>Reads one map.json's text.</summary>
    /// <exception cref="InvalidDataException">When it is not a map of
    /// this schema; the message names <paramref name="file"/> and what is wrong.</exception>
    internal static MapModel Parse(string text, string file)
    {
        MapModel map;
        try
        {
            map = JsonSerializer.Deserialize<MapModel>(text, Reports.ReportJson.Options) ?? throw new InvalidDataException($"{file} holds no map (it is JSON null).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file} is not a GpuOsSpec map (map.json from gpuosspec map): {ex.Message}");
        }
        if (map.Schema != MapModel.CurrentSchema)
        {
            throw new InvalidDataException($"{file} has schema \"{map.Schema}\"; this gpuosspec merges \"{MapModel.CurrentSchema}\" only. Re-run gpuosspec map on that machine with this version.");
        }
        return map;
    }
}
