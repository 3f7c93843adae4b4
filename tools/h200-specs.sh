#!/usr/bin/env bash
# The plugin's tests and the specs on a GPU machine, with every backend there required. Run there after
# ../shared/gpu/pack tests/GpuOsSpec.Tests specs/GpuOsSpec.Specs:
#   bash .gpu/run exec bash tools/h200-specs.sh
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
{
  date -u +%Y-%m-%dT%H:%M:%SZ
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  echo "kernel $(uname -r), $(nproc) CPUs"
} > "$out/machine.txt" 2>&1
# Each assembly gets its own results folder: the interaction map is written per test process.
GPUOSSPEC_RESULTS=/tmp/results/specs GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Specs -verbose > "$out/specs.txt" 2>&1
GPUOSSPEC_RESULTS=/tmp/results/plugin GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Tests > "$out/plugin-tests.txt" 2>&1
cp /tmp/results/specs/interaction-map.md "$out/interaction-map.md" 2>/dev/null
tar -C /tmp -czf "$out/results.tar.gz" --exclude="*.perfetto.json" results
grep -hE "Total:|\[FAIL\]|\[SKIP\]" "$out/specs.txt" "$out/plugin-tests.txt"
