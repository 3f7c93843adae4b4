#!/usr/bin/env bash
# Every catalogue workload on CUDA and on NVIDIA's OpenCL, under tracing, on a GPU machine. Run there after
# ../shared/gpu/pack tests/GpuOsSpec.Tracing.Tests tests/GpuOsSpec.Workloads.Tests:
#   bash .gpu/run exec bash tools/h200-workloads.sh
# Writes runs.tar.gz (one gpuosspec.run/1 JSON per workload and backend), runs.txt (the printed reports) and the test
# results under $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p "$out" /tmp/runs
G="dotnet .gpu/bin/GpuOsSpec.Tracing.Tests/gpuosspec.dll"
{
  date -u +%Y-%m-%dT%H:%M:%SZ
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  echo "kernel $(uname -r), $(nproc) CPUs"
  $G backends
} > "$out/runs.txt" 2>&1
# The opencl block of `gpuosspec backends` lists "[N] name (platform)"; take NVIDIA's index.
nv=$($G backends | awk '/^opencl/{o=1; next} /^[a-z]/{o=0} o && /NVIDIA/ {gsub(/[][]/, "", $1); print $1; exit}')
nv=${nv:--1}
echo "NVIDIA OpenCL device index: $nv" >> "$out/runs.txt"
for w in $($G workloads | grep -E '^[a-z]'); do
  for target in "cuda 0" "opencl $nv"; do
    set -- $target
    [[ $2 -lt 0 ]] && continue
    echo "===== $w on $1 (device $2)" >> "$out/runs.txt"
    $G run "$w" --backend "$1" --device "$2" --json "/tmp/runs/$w-$1.json" >> "$out/runs.txt" 2>&1
    echo "exit $?" >> "$out/runs.txt"
  done
done
tar -C /tmp -czf "$out/runs.tar.gz" runs
GPUOSSPEC_NATIVE_BIN=.gpu/native GPUOSSPEC_REQUIRE=perf,strace,cuda,opencl,cpu bash .gpu/run test GpuOsSpec.Workloads.Tests > "$out/workload-tests.txt" 2>&1
GPUOSSPEC_NATIVE_BIN=.gpu/native GPUOSSPEC_REQUIRE=perf,strace bash .gpu/run test GpuOsSpec.Tracing.Tests > "$out/tracing-tests.txt" 2>&1
grep -E "^(=====|exit)|FAILED|INCONCLUSIVE" "$out/runs.txt" | paste - - | head -40
grep -hE "Total:" "$out/workload-tests.txt" "$out/tracing-tests.txt"
