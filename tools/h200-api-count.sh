#!/usr/bin/env bash
# On the H200 (device tool, after ../shared/gpu/pack src/GpuOsSpec.Cli):
#   bash .gpu/run exec bash tools/h200-api-count.sh     writes $OUT/api-count-h200.tar.gz
# Issue 21: --api cuda on a PyTorch loop whose launches are known. The loop makes N in-place adds on one CUDA tensor
# (one elementwise kernel launch each) between two synchronizes, at N = 1000 and N = 2000, so whatever PyTorch and
# the runtime launch at start-up cancels out: the probed launches (cuLaunchKernel + cuLaunchKernelEx) must differ by
# exactly 1000 between the two sizes, counted in the kernel (the default) and from perf samples (--api-samples).
# Each (size, path) runs ROUNDS (3) times, interleaved; summary.txt has one line a run: path, N, launches, syscalls in
# launches, lost events, inconclusive.
# Knobs: ROUNDS (3), PYTHON (the host's torch venv, else python3).
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/api-count-h200; rm -rf "$r"; mkdir -p "$r"
g=.gpu
# An array, not a function: timeout runs a program, and a shell function is not one.
cli=(dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll")
py=${PYTHON:-/opt/torch/.venv/bin/python3}; [[ -x $py ]] || py=python3
loop='import sys, torch
x = torch.zeros(1024, device="cuda"); torch.cuda.synchronize()
for _ in range(int(sys.argv[1])): x.add_(1)
torch.cuda.synchronize(); print("sum", float(x[0]))'
for i in $(seq "${ROUNDS:-3}"); do
  for n in 1000 2000; do
    for path in kernel samples; do
      extra=(); [[ $path == samples ]] && extra=(--api-samples)
      f="$r/$path-$n-$i.json"
      timeout 120 "${cli[@]}" trace --api cuda "${extra[@]}" --json "$f" -- "$py" -c "$loop" "$n" >> "$r/$path.txt" 2>&1
      echo "$path $n rc $?" >> "$r/progress.txt"
      "$py" - "$f" "$path" "$n" >> "$r/summary.txt" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
calls = {a["name"]: a for a in t.get("apiCalls", [])}
launch = [calls[k] for k in ("cuLaunchKernel", "cuLaunchKernelEx") if k in calls]
print(sys.argv[2], sys.argv[3], "launches", sum(a["calls"] for a in launch), "syscalls", sum(a["syscalls"] for a in launch),
      "lost", t["lostEvents"], "inconclusive", t["inconclusive"], {k: v["calls"] for k, v in calls.items()})
PY
    done
  done
done
tar -C /tmp -czf "$out/api-count-h200.tar.gz" api-count-h200
