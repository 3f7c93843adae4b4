#!/usr/bin/env bash
# The capture-engine checks on a GPU machine. Run there, after ../shared/gpu/pack tests/GpuOsSpec.Tracing.Tests and
# copying the native helpers into .gpu/native (see docs/h200-capture.md):
#   bash .gpu/run exec bash tools/h200-trace.sh
# Writes summary.txt, the JSON traces, bench.txt and the xunit results under $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out"
G="dotnet .gpu/bin/GpuOsSpec.Tracing.Tests/gpuosspec.dll"
s="$out/summary.txt"
{
  echo "== machine"
  date -u +%Y-%m-%dT%H:%M:%SZ
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  echo "kernel $(uname -r), $(nproc) CPUs"
  echo; echo "== gpuosspec sources"; $G sources
  echo; echo "== gpuosspec trace -- nvidia-smi (default: perf hybrid)"
  $G trace --json "$out/nvidia-smi.json" -- nvidia-smi >/dev/null
  echo; echo "== gpuosspec trace -- cuda-probe 10 (default: perf hybrid)"
  $G trace --json "$out/cuda-probe.json" -- .gpu/native/cuda-probe 10
  echo; echo "== gpuosspec trace --mode full -- cuda-probe 10"
  $G trace --mode full --json "$out/cuda-probe-full.json" -- .gpu/native/cuda-probe 10
  echo; echo "== gpuosspec trace --source strace -- cuda-probe 10"
  $G trace --source strace -- .gpu/native/cuda-probe 10
} > "$s" 2>&1
$G bench overhead --storm .gpu/native/storm --repeat 5 > "$out/bench.txt" 2>&1
GPUOSSPEC_NATIVE_BIN=.gpu/native GPUOSSPEC_REQUIRE=perf,strace bash .gpu/run test GpuOsSpec.Tracing.Tests > "$out/tests.txt" 2>&1
tail -3 "$out/tests.txt"
grep -E "NV_ESC|UVM_" "$s" | head -20
