#!/usr/bin/env bash
# On the H200 (after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs): bash tools/h200-wakeups.sh
# -> $OUT/h200-wakeups.tar.gz. The candidate wake-up primitives per vendor, measured by the evaluation itself:
# `gpuosspec evaluate --quick` once per GPUOS_<VENDOR>_WAKE choice (CUDA: the stream-written word or the event query
# for spin; OpenCL: the event status, clWaitForEvents, back-off sleeps, or the first design's callback); then the PyTorch
# loop once per policy, untraced and traced, and the evaluation specs. GPU_DIR and EX_ROOT say where the packed .gpu/ and
# the examples are (a copy outside the checkout).
set -uo pipefail
g=${GPU_DIR:-.gpu}; ex=${EX_ROOT:-.}
out=${OUT:-/tmp/out}; r=/tmp/h200-wakeups; mkdir -p "$r"
# Each step has a time limit (T seconds), so one that hangs cannot cost the rest.
cli() { timeout "${T:-120}" bash "$g/run" exec dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll" "$@"; }
stamp() { echo "$(date -u +%T) $SECONDS s: $*" >> "$r/timing.txt"; }
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; nproc; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
export GPUOS_LIBRARY=$PWD/$g/bin/GpuOsSpec.Cli/libgpuos.so
stamp start
for v in "word:" "query:spin=query,park=event"; do
  GPUOS_CUDA_WAKE=${v#*:} T=120 cli evaluate --quick --backend cuda --out "$r/cuda-${v%%:*}" > "$r/cuda-${v%%:*}.txt" 2>&1
  stamp "cuda ${v%%:*}"
done
for v in "status-wait:" "wait-backoff:spin=wait,park=backoff" "callback:callback"; do
  GPUOS_OPENCL_WAKE=${v#*:} T=150 cli evaluate --quick --backend opencl --out "$r/opencl-${v%%:*}" > "$r/opencl-${v%%:*}.txt" 2>&1
  stamp "opencl ${v%%:*}"
done
for p in native spin park adaptive; do
  flag="--policy $p"; [[ $p == native ]] && flag=--native
  timeout 60 python3 "$ex/examples/pytorch/train_gpuos.py" --steps 200 $flag >> "$r/pytorch.txt" 2>&1
done
stamp pytorch
for p in native adaptive; do
  flag="--policy $p"; [[ $p == native ]] && flag=--native
  T=60 cli trace --mode full --json "$r/traced-$p.json" -- python3 "$ex/examples/pytorch/train_gpuos.py" --steps 50 $flag > "$r/traced-$p.txt" 2>&1
done
stamp traced
GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r timeout 120 bash "$g/run" test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1
stamp specs
tar -C /tmp -czf "$out/h200-wakeups.tar.gz" h200-wakeups
