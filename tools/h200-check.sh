#!/usr/bin/env bash
# gpuosspec check on the H200 (issue 23's "Must show"): check passes on the PyTorch training loop and on the inference
# loop, and fails, naming the rule, with PYTORCH_NO_CUDA_MEMORY_CACHING=1 and with a wait that spins on sched_yield.
# Pack first: ../shared/gpu/pack src/GpuOsSpec.Cli; then: bash .gpu/run exec bash tools/h200-check.sh
# Needs torch with CUDA (the H200 host's /opt/torch/.venv). Writes each run's text, JSON and JUnit under $OUT/check
# and a verdict line per run to $OUT/check/verdicts.txt; exits 1 when a run did not end as expected. ONLY="NAME ..."
# runs just those runs (the device is lent by the minute); T is each run's time limit in seconds (default 120).
# (An earlier one-off script of this name, folded into the others, checked the perf launcher: docs/h200-api-2026-12-02.)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/out}/check
mkdir -p "$out"
bash tools/h200-machine.sh > "$out/machine.txt" 2>&1 || true
cli=(dotnet .gpu/bin/GpuOsSpec.Cli/gpuosspec.dll)
py=${PYTHON:-/opt/torch/.venv/bin/python3}
[[ -x $py ]] || py=python3
failures=0

# run NAME EXPECTED-EXIT EXPECTED-FAILED-RULE CHECK-OPTIONS... -- COMMAND...   (EXPECTED-EXIT "any": recorded only)
run() {
  local name=$1 expected=$2 rule=$3
  shift 3
  if [[ -n ${ONLY:-} && " $ONLY " != *" $name "* ]]; then echo "$name: not run (ONLY)" >> "$out/verdicts.txt"; return; fi
  timeout "${T:-120}" "${cli[@]}" check --json "$out/$name.json" --junit "$out/$name.xml" "$@" > "$out/$name.txt" 2>&1
  local rc=$?
  local verdict="ok"
  if [[ $expected != any && $rc -ne $expected ]]; then verdict="UNEXPECTED (exit $rc, expected $expected)"; failures=$((failures + 1)); fi
  if [[ -n $rule ]] && ! grep -q "\"id\": \"$rule\"" "$out/$name.json" 2>/dev/null; then verdict="UNEXPECTED (no rule $rule)"; failures=$((failures + 1)); fi
  if [[ -n $rule ]] && ! python3 - "$out/$name.json" "$rule" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(r["id"] == sys.argv[2] and r["verdict"] == "failed" for r in d["rules"]) else 1)
PY
  then verdict="UNEXPECTED ($rule did not fail)"; failures=$((failures + 1)); fi
  echo "$name: exit $rc, $verdict" | tee -a "$out/verdicts.txt"
}

# Passes: the training loop (gpuos phases train/*, warm-up outside them) and the inference loop (request/*), in full
# mode by default, and with the API probes (the launch and wait rules judged too; CUDA's auto mode spins in the
# inference loop's synchronize where cores outnumber GPUs, so waits-park is expected to fail there: a finding, not a
# pass, and recorded as such).
run train 0 "" -- "$py" examples/pytorch/train_gpuos.py --steps 50
run infer 0 "" -- "$py" examples/pytorch/infer_gpuos.py --requests 100
run train-api 0 "" --api cuda -- "$py" examples/pytorch/train_gpuos.py --steps 50
run infer-api any "" --api cuda -- "$py" examples/pytorch/infer_gpuos.py --requests 100

# Fails: the caching allocator bypassed (each step allocates and frees through the driver).
run train-no-caching 1 steady-no-allocation-churn -- env PYTORCH_NO_CUDA_MEMORY_CACHING=1 "$py" examples/pytorch/train_gpuos.py --steps 50
run train-no-caching-api 1 steady-no-allocation-churn --api cuda -- env PYTORCH_NO_CUDA_MEMORY_CACHING=1 "$py" examples/pytorch/train_gpuos.py --steps 50

# Fails: a wait that spins on sched_yield (CUDA's yield sync mode): the catalogue's sync-mode workload waiting natively
# (its phases are the inner run's own, so check judges the whole run), the inner run on the proc source (a traced
# program with perf events of its own is inconclusive).
yield_wait=(run sync-mode --backend cuda --set sync=yield --set kernel_us=5000 --set repeats=10 --via native --source proc)
run yield-wait 1 no-sched-yield-storm -- "${cli[@]}" "${yield_wait[@]}"
run yield-wait-api 1 syscalls-per-wait --api cuda -- "${cli[@]}" "${yield_wait[@]}"

tar -C "$out/.." -czf "${OUT:-/tmp/out}/check.tar.gz" check
echo "h200-check: $failures unexpected result(s); see $out/verdicts.txt"
[[ $failures -eq 0 ]]
