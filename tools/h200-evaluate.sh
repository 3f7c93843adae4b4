#!/usr/bin/env bash
# On the H200 (after ../shared/gpu/pack src/GpuOsSpec.Cli specs/GpuOsSpec.Specs): bash tools/h200-evaluate.sh
# -> $OUT/h200-evaluate.tar.gz, written again after every step, so a run cut short still returns what it measured.
# In one command, since the device is lent by the minute, with the library's defaults (no GPUOS_*_WAKE: the OpenCL
# defaults are run 1's pick, tools/pick-wakeups.py):
#   1. `gpuosspec evaluate` over every backend (5 runs per configuration);
#   2. the evaluation specs under GPUOSSPEC_REQUIRE=perf,cuda,opencl;
#   3. the PyTorch loop natively and through gpuos per policy, interleaved, 5 untraced runs each, then one traced run
#      (--mode full) each for the per-step syscalls;
#   4. two comparisons, quick: NVIDIA's OpenCL arming with a marker (GPUOS_OPENCL_WAKE=NVIDIA@arm=marker) against the
#      fill of step 1, and CUDA spinning on the event (GPUOS_CUDA_WAKE=spin=query,park=event) against the word.
# Run 1 (2026-12-06) was made by this script as it was at commit ff0c638 (it explored three OpenCL candidates first).
# GPU_DIR and EX_ROOT say where the packed .gpu/ and the examples and tools are (a copy outside the checkout); BUDGET
# (seconds, default 450) is the time the steps may take together: a step that would not fit is skipped and noted.
set -uo pipefail
g=${GPU_DIR:-.gpu}; ex=${EX_ROOT:-.}
out=${OUT:-/tmp/out}; r=/tmp/h200-evaluate; mkdir -p "$r/explore" "$out"
budget=${BUDGET:-450}
# Each step has a time limit (T seconds), so one that hangs cannot cost the rest.
cli() { timeout "${T:-120}" bash "$g/run" exec dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll" "$@"; }
stamp() { echo "$(date -u +%T) +${SECONDS} s: $*" >> "$r/timing.txt"; tar -C /tmp -czf "$out/h200-evaluate.tar.gz" h200-evaluate; }
# fits N: whether N more seconds fit the budget; a step that does not is noted as skipped.
fits() { (( SECONDS + $1 <= budget )) || { echo "$(date -u +%T) +${SECONDS} s: skipped $2 (needs $1 s, budget $budget s)" >> "$r/timing.txt"; return 1; }; }
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; uname -r; nproc; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$r/machine.txt" 2>&1
export GPUOS_LIBRARY=$PWD/$g/bin/GpuOsSpec.Cli/libgpuos.so
unset GPUOS_OPENCL_WAKE GPUOS_CUDA_WAKE GPUOS_HIP_WAKE
stamp start
fits 200 evaluate && { T=200 cli evaluate --out "$r/evaluation" > "$r/evaluate.txt" 2>&1; stamp evaluate; }
fits 90 specs && { GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r timeout 90 bash "$g/run" test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1; stamp specs; }
for i in 1 2 3 4 5; do
  fits 45 "pytorch round $i" || break
  timeout 40 python3 "$ex/examples/pytorch/train_gpuos.py" --steps 200 --native >> "$r/pytorch-native.txt" 2>&1
  for p in spin park adaptive; do timeout 40 python3 "$ex/examples/pytorch/train_gpuos.py" --steps 200 --policy $p >> "$r/pytorch-gpuos-$p.txt" 2>&1; done
done
stamp pytorch
for p in native spin park adaptive; do
  fits 20 "traced $p" || break
  flag="--policy $p"; [[ $p == native ]] && flag=--native
  T=50 cli trace --mode full --json "$r/traced-$p.json" -- python3 "$ex/examples/pytorch/train_gpuos.py" --steps 50 $flag > "$r/traced-$p.txt" 2>&1
done
stamp traced
fits 45 "opencl arm=marker" && { GPUOS_OPENCL_WAKE='NVIDIA@arm=marker' T=45 cli evaluate --quick --backend opencl --out "$r/explore/opencl-marker" > "$r/explore/opencl-marker.txt" 2>&1; stamp "explore opencl NVIDIA@arm=marker"; }
fits 30 "cuda spin=query" && { GPUOS_CUDA_WAKE='spin=query,park=event' T=30 cli evaluate --quick --backend cuda --out "$r/explore/cuda-query" > "$r/explore/cuda-query.txt" 2>&1; stamp "explore cuda spin=query"; }
stamp end
