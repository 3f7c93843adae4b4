#!/usr/bin/env bash
# On the H200 (device tool, after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs and copying
# bench_markers + libgpuos.so into .gpu/native/): bash tools/h200-run2.sh -> $OUT/h200-run2.tar.gz
# PyTorch with per-API attribution, the command specs, a baseline that catches a deliberate change, gpuos against
# native step times (3 untraced runs each), and the marker cost untraced and traced.
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/h200-run2; mkdir -p "$r"
cli() { bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll "$@"; }
lib=$PWD/.gpu/bin/GpuOsSpec.Cli/libgpuos.so
train=examples/pytorch/train_gpuos.py
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
cli trace --mode full --api cuda --json "$r/train-api.json" -- python3 $train --steps 50 > "$r/train-api.txt" 2>&1
OUT=$r bash .gpu/run test GpuOsSpec.Specs -class GpuOsSpec.Specs.Commands.ProgramsHeldToASpec > "$r/command-specs.txt" 2>&1
cli baseline record --out "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 > "$r/baseline-record.txt" 2>&1
cli baseline compare "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 > "$r/baseline-same.txt" 2>&1; echo "rc $?" >> "$r/baseline-same.txt"
cli baseline compare "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 --extra-alloc > "$r/baseline-extra.txt" 2>&1; echo "rc $?" >> "$r/baseline-extra.txt"
for i in 1 2 3; do
  for v in native gpuos; do
    flag=; [[ $v == native ]] && flag=--native
    GPUOS_LIBRARY=$lib python3 $train --steps 200 $flag >> "$r/steps-$v.txt" 2>&1
  done
done
.gpu/native/bench_markers 1000000 > "$r/markers-untraced.txt" 2>&1
cli trace --mode full --gpuos-library "$PWD/.gpu/native/libgpuos.so" -- .gpu/native/bench_markers 100000 > "$r/markers-traced.txt" 2>&1
cli trace --mode full --json "$r/train-gpuos.json" -- python3 $train --steps 50 > "$r/train-gpuos.txt" 2>&1
tar -C /tmp -czf "$out/h200-run2.tar.gz" h200-run2
