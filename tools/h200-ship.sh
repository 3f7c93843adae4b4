#!/usr/bin/env bash
# Issue 13 on a GPU machine: the full map with its figures, then the specs (every backend there required). Run there
# after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs:
#   bash tools/h200-ship.sh map      # $OUT/map.tar.gz (map.md, map.json, map.html, plots/*.svg), $OUT/machine.txt
#   bash tools/h200-ship.sh specs    # $OUT/specs.txt, $OUT/results.tar.gz
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
{
  date -u +%Y-%m-%dT%H:%M:%SZ
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  echo "kernel $(uname -r), $(nproc) CPUs"
} > "$out/machine.txt" 2>&1
case ${1:?map or specs} in
  map)
    start=$(date +%s)
    bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll map --machine h200 --out /tmp/map 2> "$out/map-progress.txt"
    echo "map: $(( $(date +%s) - start )) s" >> "$out/machine.txt"
    cp "$out/map-progress.txt" /tmp/map/
    tar -C /tmp -czf "$out/map.tar.gz" map
    tail -3 "$out/map-progress.txt"
    ;;
  specs)
    GPUOSSPEC_RESULTS=/tmp/results/specs GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Specs -verbose > "$out/specs.txt" 2>&1
    tar -C /tmp -czf "$out/results.tar.gz" --exclude="*.perfetto.json" results
    grep -hE "Total:|\[FAIL\]" "$out/specs.txt"
    grep -A3 "\[FAIL\]" "$out/specs.txt" | head -60
    ;;
esac
