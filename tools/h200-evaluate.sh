#!/usr/bin/env bash
# On the H200 (after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs): bash tools/h200-evaluate.sh
# -> $OUT/h200-evaluate.tar.gz. In one command, since the device is lent by the minute:
#   1. the OpenCL wake-up candidates, one `gpuosspec evaluate --quick --backend opencl` each (GPUOS_OPENCL_WAKE), and
#      each platform's pick by tools/pick-wakeups.py (its rule is written there);
#   2. with that pick: `gpuosspec evaluate` over every backend (5 runs per configuration), the evaluation specs under
#      GPUOSSPEC_REQUIRE=perf,cuda,opencl, the PyTorch loop natively and through gpuos per policy, interleaved, 5 untraced
#      runs each, and one traced run (--mode full) each for the per-step syscalls.
# GPU_DIR and EX_ROOT say where the packed .gpu/ and the examples and tools are (a copy outside the checkout).
set -uo pipefail
g=${GPU_DIR:-.gpu}; ex=${EX_ROOT:-.}
out=${OUT:-/tmp/out}; r=/tmp/h200-evaluate; mkdir -p "$r/explore"
# Each step has a time limit (T seconds), so one that hangs cannot cost the rest.
cli() { timeout "${T:-120}" bash "$g/run" exec dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll" "$@"; }
stamp() { echo "$(date -u +%T) +${SECONDS} s: $*" >> "$r/timing.txt"; }
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; nproc; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
export GPUOS_LIBRARY=$PWD/$g/bin/GpuOsSpec.Cli/libgpuos.so
stamp start
for c in status-wait wait-backoff callback; do
  v=spin=status,park=wait; [[ $c == wait-backoff ]] && v=spin=wait,park=backoff; [[ $c == callback ]] && v=callback
  GPUOS_OPENCL_WAKE=$v T=70 cli evaluate --quick --backend opencl --out "$r/explore/opencl-$c" > "$r/explore/opencl-$c.txt" 2>&1
  stamp "explore opencl $c"
done
python3 "$ex/tools/pick-wakeups.py" "$r"/explore/opencl-*/evaluation.json > "$r/explore/pick.txt" 2>&1
export GPUOS_OPENCL_WAKE=$(tail -n 1 "$r/explore/pick.txt")
echo "GPUOS_OPENCL_WAKE=$GPUOS_OPENCL_WAKE" >> "$r/machine.txt"
stamp "picked $GPUOS_OPENCL_WAKE"
T=200 cli evaluate --out "$r/evaluation" > "$r/evaluate.txt" 2>&1
stamp evaluate
GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r timeout 90 bash "$g/run" test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1
stamp specs
for i in 1 2 3 4 5; do
  timeout 40 python3 "$ex/examples/pytorch/train_gpuos.py" --steps 200 --native >> "$r/pytorch-native.txt" 2>&1
  for p in spin park adaptive; do timeout 40 python3 "$ex/examples/pytorch/train_gpuos.py" --steps 200 --policy $p >> "$r/pytorch-gpuos-$p.txt" 2>&1; done
done
stamp pytorch
for p in native spin park adaptive; do
  flag="--policy $p"; [[ $p == native ]] && flag=--native
  T=50 cli trace --mode full --json "$r/traced-$p.json" -- python3 "$ex/examples/pytorch/train_gpuos.py" --steps 50 $flag > "$r/traced-$p.txt" 2>&1
done
stamp traced
tar -C /tmp -czf "$out/h200-evaluate.tar.gz" h200-evaluate
