#!/usr/bin/env bash
# The specs, the plugin's and the workloads' tests on a GPU machine, every backend there required. Run there after
# ../shared/gpu/pack tests/GpuOsSpec.Tests specs/GpuOsSpec.Specs tests/GpuOsSpec.Workloads.Tests:
#   bash .gpu/run exec bash tools/h200-final.sh
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
export GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl
GPUOSSPEC_RESULTS=/tmp/results/specs bash .gpu/run test GpuOsSpec.Specs > "$out/specs.txt" 2>&1
GPUOSSPEC_RESULTS=/tmp/results/plugin bash .gpu/run test GpuOsSpec.Tests > "$out/plugin-tests.txt" 2>&1
GPUOSSPEC_NATIVE_BIN=.gpu/native bash .gpu/run test GpuOsSpec.Workloads.Tests > "$out/workload-tests.txt" 2>&1
cp /tmp/results/specs/interaction-map.md "$out/specs-interaction-map.md" 2>/dev/null
grep -hE "Total:|\[FAIL\]" "$out"/*.txt
