#!/usr/bin/env bash
# The specs (and the plugin's and the workloads' tests, when packed) on a GPU machine, with every backend there required. Run there after
# ../shared/gpu/pack specs/GpuOsSpec.Specs [tests/GpuOsSpec.Tests tests/GpuOsSpec.Workloads.Tests]:
#   bash .gpu/run exec bash tools/h200-specs.sh
# Writes $OUT/machine.txt, $OUT/specs.txt (xunit's verbose output), $OUT/plugin-tests.txt, $OUT/spec-results.md and
# $OUT/results.tar.gz (the traces, without the Perfetto copies).
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
bash tools/h200-machine.sh > "$out/machine.txt"
# Each assembly gets its own results folder: the spec results are written per test process.
GPUOSSPEC_RESULTS=/tmp/results/specs GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Specs -verbose > "$out/specs.txt" 2>&1
if [[ -d .gpu/bin/GpuOsSpec.Tests ]]; then
  GPUOSSPEC_RESULTS=/tmp/results/plugin GPUOSSPEC_REQUIRE=perf,cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Tests > "$out/plugin-tests.txt" 2>&1
fi
if [[ -d .gpu/bin/GpuOsSpec.Workloads.Tests ]]; then
  GPUOSSPEC_NATIVE_BIN=.gpu/native GPUOSSPEC_REQUIRE=cpu,cuda,opencl bash .gpu/run test GpuOsSpec.Workloads.Tests > "$out/workload-tests.txt" 2>&1
fi
cp /tmp/results/specs/spec-results.md "$out/spec-results.md" 2>/dev/null
tar -C /tmp -czf "$out/results.tar.gz" --exclude="*.perfetto.json" results
# Exits 1 when a case failed, 0 otherwise (the plugin's tests count only when they were packed).
status=0
for f in "$out/specs.txt" "$out/plugin-tests.txt" "$out/workload-tests.txt"; do
  [[ -f $f ]] || continue
  grep -hE "Total:|\[FAIL\]" "$f"
  grep -q "\[FAIL\]" "$f" && status=1
done
exit $status
