#!/usr/bin/env bash
# On the H200: gpuosspec evaluate with the inference limits, and the evaluation specs after their PoCL change.
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/h200-evaluate2; mkdir -p "$r"
bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll evaluate --out "$r/evaluation" > "$r/evaluate.txt" 2>&1
GPUOSSPEC_REQUIRE=perf,cuda,opencl OUT=$r bash .gpu/run test GpuOsSpec.Specs -class GpuOsSpec.Specs.Evaluation.GpuOsAgainstNative > "$r/evaluation-specs.txt" 2>&1
tar -C /tmp -czf "$out/h200-evaluate2.tar.gz" h200-evaluate2
