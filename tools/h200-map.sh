#!/usr/bin/env bash
# The full interaction map on a GPU machine. Run there after ../shared/gpu/pack tests/GpuOsSpec.Tracing.Tests:
#   bash .gpu/run exec bash tools/h200-map.sh
# Writes $OUT/map/map.{md,json,html} and $OUT/machine.txt.
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out/map"
{
  date -u +%Y-%m-%dT%H:%M:%SZ
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  echo "kernel $(uname -r), $(nproc) CPUs"
} > "$out/machine.txt" 2>&1
dotnet .gpu/bin/GpuOsSpec.Tracing.Tests/gpuosspec.dll map --machine h200 --out "$out/map" 2> "$out/map-progress.txt"
tail -3 "$out/map-progress.txt"
