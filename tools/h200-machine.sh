#!/usr/bin/env bash
# What a GPU-machine run records of where it ran: the time, the GPU and driver, the kernel and the CPU count.
#   bash tools/h200-machine.sh > "$OUT/machine.txt"
date -u +%Y-%m-%dT%H:%M:%SZ
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1
echo "kernel $(uname -r), $(nproc) CPUs"
