#!/usr/bin/env bash
# The baseline gate on a real inference loop, on a GPU machine, after ../shared/gpu/pack src/GpuOsSpec.Cli:
#   bash .gpu/run exec bash tools/h200-baseline.sh
# Records examples/pytorch/infer_gpuos.py (5 runs), compares the same program 10 times (each must pass: the gate's
# false-alarm rate), then the program with twice the GPU work per request (its waits spin twice as long: it must fail),
# then with CUDA_LAUNCH_BLOCKING=1; the same program untraced, 5 runs, for its request time. -> $OUT/h200-baseline.tar.gz
set -u
out=${OUT:-/tmp/out}; r=/tmp/h200-baseline; mkdir -p "$out" "$r"
gpu=$(cd "$(dirname "$0")/../.gpu" && pwd)
cli() { bash "$gpu/run" exec dotnet "$gpu/bin/GpuOsSpec.Cli/gpuosspec.dll" "$@"; }
bash tools/h200-machine.sh > "$r/machine.txt"
export GPUOS_LIBRARY=$gpu/bin/GpuOsSpec.Cli/libgpuos.so
infer=(python3 examples/pytorch/infer_gpuos.py --requests 100)
for i in 1 2 3 4 5; do "${infer[@]}" >> "$r/untraced.txt" 2>&1; done
cli baseline record --out "$r/infer.json" --runs 5 -- "${infer[@]}" > "$r/record.txt" 2>&1
echo "record $?" >> "$r/codes.txt"
for i in $(seq 10); do
  cli baseline compare "$r/infer.json" --summary "$r/same.md" -- "${infer[@]}" > "$r/same-$i.txt" 2>&1
  echo "same-$i $?" >> "$r/codes.txt"
done
cli baseline compare "$r/infer.json" --summary "$r/work2.md" -- "${infer[@]}" --work 2 > "$r/work2.txt" 2>&1
echo "work2 $?" >> "$r/codes.txt"
CUDA_LAUNCH_BLOCKING=1 cli baseline compare "$r/infer.json" --summary "$r/launch-blocking.md" -- "${infer[@]}" > "$r/launch-blocking.txt" 2>&1
echo "launch-blocking $?" >> "$r/codes.txt"
cat "$r/codes.txt"
tar -C /tmp -czf "$out/h200-baseline.tar.gz" h200-baseline
