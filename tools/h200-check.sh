#!/usr/bin/env bash
# On the H200: the PyTorch loop traced once more after the launcher started giving the command GPUOS_LIBRARY itself.
set -uo pipefail
bash .gpu/run exec dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll trace --mode full -- python3 examples/pytorch/train_gpuos.py --steps 10 > "${OUT:-/tmp}/h200-check.txt" 2>&1
grep -E "train_gpuos|^phases|^  train|markers:" "${OUT:-/tmp}/h200-check.txt"
