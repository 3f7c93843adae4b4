#!/usr/bin/env bash
# The full interaction map, with its figures, on a GPU machine. Run there after
# ../shared/gpu/pack src/GpuOsSpec.Cli:
#   bash .gpu/run exec bash tools/h200-map.sh
# Writes $OUT/machine.txt (with the map's duration), $OUT/map-progress.txt and $OUT/map.tar.gz (map.md, map.json,
# map.html, plots/*.svg and the progress log).
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
bash tools/h200-machine.sh > "$out/machine.txt"
start=$(date +%s)
dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll map --machine h200 --out /tmp/map 2> "$out/map-progress.txt"
echo "map: $(( $(date +%s) - start )) s" >> "$out/machine.txt"
cp "$out/map-progress.txt" /tmp/map/
tar -C /tmp -czf "$out/map.tar.gz" map
tail -3 "$out/map-progress.txt"
