#!/usr/bin/env bash
# On the H200 (after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs): bash tools/h200-evaluate.sh
# -> $OUT/h200-evaluate.tar.gz: gpuosspec evaluate over every backend, the evaluation specs under GPUOSSPEC_REQUIRE,
# and the PyTorch loop natively and through gpuos under each wait policy, 5 untraced runs each.
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/h200-evaluate; mkdir -p "$r"
cli() { bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll "$@"; }
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; nproc; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
cli evaluate --out "$r/evaluation" > "$r/evaluate.txt" 2>&1
GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r bash .gpu/run test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1
export GPUOS_LIBRARY=$PWD/.gpu/bin/GpuOsSpec.Cli/libgpuos.so
for i in 1 2 3 4 5; do
  python3 examples/pytorch/train_gpuos.py --steps 200 --native >> "$r/pytorch-native.txt" 2>&1
  for p in spin park adaptive; do python3 examples/pytorch/train_gpuos.py --steps 200 --policy $p >> "$r/pytorch-gpuos-$p.txt" 2>&1; done
done
tar -C /tmp -czf "$out/h200-evaluate.tar.gz" h200-evaluate
