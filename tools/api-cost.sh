#!/usr/bin/env bash
# The cost per probed API call (issue 21): a PoCL launch storm (launch-storm on the OpenCL backend) untraced by --api,
# with --api opencl counted in the kernel (the default) and with --api-samples (perf samples joined in user space),
# interleaved, each traced in the same perf mode. Prints the steady phase's ns per launch for each run and, per variant,
# the median and the median extra per probed call (the steady phase makes LAUNCHES clEnqueueNDRangeKernel and one
# clFinish).
# Usage: tools/api-cost.sh [GPUOSSPEC] [LAUNCHES] [REPEAT] [MODE]   (GPUOSSPEC: the gpuosspec launcher to use)
set -euo pipefail
G=${1:-src/GpuOsSpec.Cli/bin/Release/net10.0/gpuosspec}
LAUNCHES=${2:-20000}
REPEAT=${3:-5}
MODE=${4:-hybrid}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
declare -A args=([none]="" [kernel]="--api opencl" [samples]="--api opencl --api-samples")
for r in $(seq "$REPEAT"); do
  for v in none kernel samples; do
    # shellcheck disable=SC2086
    "$G" trace --mode "$MODE" ${args[$v]} --json "$OUT/t.json" -- "$G" run launch-storm --backend opencl \
      --set launches="$LAUNCHES" --source proc --json "$OUT/r.json" >/dev/null 2>&1
    python3 - "$OUT/r.json" "$OUT/t.json" "$v" "$r" >>"$OUT/rows" <<'PY'
import json, sys
run, trace = (json.load(open(p)) for p in sys.argv[1:3])
steady = next(p for p in run["phases"] if p["path"] == "steady")
lost = trace["lostEvents"]
calls = sum(a["calls"] for a in trace.get("apiCalls", []))
print(sys.argv[3], sys.argv[4], steady["durationNs"], steady["operations"]["launches"], lost, calls)
PY
    tail -1 "$OUT/rows"
  done
done
python3 - "$OUT/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for v in ("none", "kernel", "samples"):
    ns = [int(r[2]) for r in rows if r[0] == v]
    launches = int(next(r[3] for r in rows if r[0] == v))
    med[v] = statistics.median(ns)
    print(f"{v:8} steady median {med[v] / 1e6:8.2f} ms  {med[v] / launches:8.0f} ns/launch  (runs: {', '.join(f'{n / 1e6:.1f}' for n in ns)} ms)")
for v in ("kernel", "samples"):
    print(f"{v:8} extra per probed call: {(med[v] - med['none']) / (launches + 1) / 1000:.2f} us (median steady minus untraced-by---api, over {launches + 1} calls)")
PY
