#!/usr/bin/env bash
# On the H200: the command specs and the baseline demo again, after the fixes of run 2. -> $OUT/h200-run3.tar.gz
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/h200-run3; mkdir -p "$r"
cli() { bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll "$@"; }
train=examples/pytorch/train_gpuos.py
OUT=$r bash .gpu/run test GpuOsSpec.Specs -class GpuOsSpec.Specs.Commands.ProgramsHeldToASpec > "$r/command-specs.txt" 2>&1
cli baseline record --out "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 > "$r/baseline-record.txt" 2>&1
cli baseline compare "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 > "$r/baseline-same.txt" 2>&1; echo "rc $?" >> "$r/baseline-same.txt"
cli baseline compare "$r/base.json" --mode full --api cuda -- python3 $train --steps 30 --extra-alloc > "$r/baseline-extra.txt" 2>&1; echo "rc $?" >> "$r/baseline-extra.txt"
tar -C /tmp -czf "$out/h200-run3.tar.gz" h200-run3
