#!/usr/bin/env bash
# On the H200 (device tool, after ../shared/gpu/pack src/GpuOsSpec.Cli):
#   bash .gpu/run exec bash tools/h200-phases.sh     writes $OUT/phases-h200.tar.gz
# What the kernel-side counting costs on a GPU host, in one command since the device is lent by the minute:
#   1. bench overhead --anchors (every mode, and a traced marker; the anchors that need perf are absent there);
#   2. ROUNDS interleaved rounds of the PyTorch inference loop with gpuos phases: untraced, the default mode, --mode
#      full and --api cuda, each a JSON trace (per-phase figures) and the loop's own median request time.
# Knobs: ROUNDS (5), REQUESTS (200), PYTHON (the host's torch venv, else python3).
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/phases-h200; rm -rf "$r"; mkdir -p "$r"
g=.gpu
cli() { dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll" "$@"; }
py=${PYTHON:-/opt/torch/.venv/bin/python3}; [[ -x $py ]] || py=python3
export GPUOS_LIBRARY=$PWD/$g/bin/GpuOsSpec.Cli/libgpuos.so
bash tools/h200-machine.sh > "$r/machine.txt" 2>&1
infer=("$py" examples/pytorch/infer_gpuos.py --requests "${REQUESTS:-200}")
started=$SECONDS
stamp() { echo "$(( SECONDS - started )) s: $1" >> "$r/progress.txt"; }
timeout 240 cli bench overhead --anchors --json "$r/bench.json" > "$r/bench.txt" 2>&1; stamp "bench rc $?"
for i in $(seq "${ROUNDS:-5}"); do
  timeout 60 "${infer[@]}" >> "$r/untraced.txt" 2>&1; stamp "round $i untraced rc $?"
  timeout 60 cli trace --json "$r/default-$i.json" -- "${infer[@]}" >> "$r/default.txt" 2>&1; stamp "round $i default rc $?"
  timeout 60 cli trace --mode full --json "$r/full-$i.json" -- "${infer[@]}" >> "$r/full.txt" 2>&1; stamp "round $i full rc $?"
  timeout 60 cli trace --api cuda --json "$r/api-$i.json" -- "${infer[@]}" >> "$r/api.txt" 2>&1; stamp "round $i api rc $?"
done
tar -C /tmp -czf "$out/phases-h200.tar.gz" phases-h200
