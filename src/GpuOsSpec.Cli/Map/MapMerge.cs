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
            MapModel map;
            try
            {
                map = JsonSerializer.Deserialize<MapModel>(File.ReadAllText(file), MapWriter.Json)
                    ?? throw new InvalidDataException($"{file} holds no map.");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{file} is not a GpuOsSpec map (map.json from gpuosspec map): {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new InvalidDataException($"cannot read {file}: {ex.Message} Fix: pass map.json files, not folders.");
            }
            if (map.Schema != MapModel.CurrentSchema)
            {
                throw new InvalidDataException($"{file} has schema \"{map.Schema}\"; this gpuosspec merges \"{MapModel.CurrentSchema}\" only. Re-run gpuosspec map on that machine with this version.");
            }
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
}
