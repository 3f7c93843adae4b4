#!/usr/bin/env bash
# On the H200 (device tool, after ../shared/gpu/pack src/GpuOsSpec.Cli tests/GpuOsSpec.Workloads.Tests):
#   bash tools/h200-gpuos.sh     writes $OUT/gpuos-h200.tar.gz
# The gpuos library's tests and both variants of every workload (xunit), then the PyTorch example traced with
# gpuos phases and natively, and sync-cadence native against gpuos on CUDA and NVIDIA's OpenCL.
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/gpuos-h200; mkdir -p "$r"
cli() { bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll "$@"; }
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
OUT=$r bash .gpu/run test GpuOsSpec.Workloads.Tests > "$r/workloads-tests.txt" 2>&1
cli backends > "$r/backends.txt" 2>&1
for mode in gpuos native; do
  flag=; [[ $mode == native ]] && flag=--native
  cli trace --mode full --json "$r/train-$mode.json" -- python3 examples/pytorch/train_gpuos.py --steps 50 $flag > "$r/train-$mode.txt" 2>&1
done
for b in cuda opencl:1 opencl; do
  for via in native gpuos; do
    dev=${b#*:}; [[ $dev == "$b" ]] && dev=0
    cli run sync-cadence --backend "${b%%:*}" --device "$dev" --via $via --json "$r/sync-${b/:/-}-$via.json" > "$r/sync-${b/:/-}-$via.txt" 2>&1
  done
done
tar -C /tmp -czf "$out/gpuos-h200.tar.gz" gpuos-h200
