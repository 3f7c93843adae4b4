#!/usr/bin/env bash
# On the H200: the PyTorch loop traced natively and through gpuos (same phase markers; only the wait differs), 50 steps
# each, and the evaluation specs again. -> $OUT/h200-pytorch.tar.gz
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/h200-pytorch; mkdir -p "$r"
cli() { bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll "$@"; }
GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r bash .gpu/run test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1
cli trace --mode full --json "$r/native.json" -- python3 examples/pytorch/train_gpuos.py --steps 50 --native > "$r/native.txt" 2>&1
for p in spin park adaptive; do
  cli trace --mode full --json "$r/gpuos-$p.json" -- python3 examples/pytorch/train_gpuos.py --steps 50 --policy $p > "$r/gpuos-$p.txt" 2>&1
done
rm -f "$r"/*.json
tar -C /tmp -czf "$out/h200-pytorch.tar.gz" h200-pytorch
