#!/usr/bin/env bash
# What recording page faults as perf events costs the default mode (issue 20): tests/native/fault-storm (ROUNDS rounds
# of 1,024 minor faults in one gpuos phase) untraced, traced by default (hybrid, markers read: the phase counter counts
# the faults, no fault is an event) and with --fault-events (every fault also a perf event, the default before),
# interleaved. Prints each run's ns per fault, the medians and the median ratios of each traced variant to the
# untraced run of its round.
# Usage: tools/fault-cost.sh [GPUOSSPEC] [ROUNDS] [REPEAT]   (GPUOSSPEC: the gpuosspec launcher to use)
set -euo pipefail
G=${1:-src/GpuOsSpec.Cli/bin/Release/net10.0/gpuosspec}
ROUNDS=${2:-200}
REPEAT=${3:-7}
LIB=$(dirname "$G")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cc -O2 -o "$OUT/fault-storm" tests/native/fault-storm.c -I gpuos/include -L "$LIB" -lgpuos -Wl,-rpath,"$(cd "$LIB" && pwd)"
declare -A args=([default]="" [fault-events]="--fault-events")
for r in $(seq "$REPEAT"); do
  echo "untraced $("$OUT/fault-storm" "$ROUNDS" 2>&1 | grep -o '[0-9.]* ns/fault' | cut -d' ' -f1)" | tee -a "$OUT/rows"
  for v in default fault-events; do
    # shellcheck disable=SC2086
    echo "$v $("$G" trace ${args[$v]} -- "$OUT/fault-storm" "$ROUNDS" 2>&1 | grep -o '[0-9.]* ns/fault' | cut -d' ' -f1)" | tee -a "$OUT/rows"
  done
done
python3 - "$OUT/rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    v, ns = line.split()
    rows.setdefault(v, []).append(float(ns))
for v, ns in rows.items():
    ratio = "" if v == "untraced" else f"  {statistics.median(a / b for a, b in zip(ns, rows['untraced'])):.2f}x untraced"
    print(f"{v:13} median {statistics.median(ns):8.0f} ns/fault{ratio}")
PY
