#!/usr/bin/env bash
# On the H200 (device tool, after ../shared/gpu/pack src/GpuOsSpec.Cli):
#   bash .gpu/run exec bash tools/h200-phases.sh     writes $OUT/phases-h200.tar.gz
# What the kernel-side counting costs on a GPU host, in one command since the device is lent by the minute:
#   1. ROUNDS interleaved rounds of the PyTorch inference loop with gpuos phases: untraced, the default mode, --mode
#      full and --api cuda, each a JSON trace (per-phase figures) and the loop's own median request time;
#   2. in each round also --mode full --cross-check-phases: the default mode's in-kernel phase counter beside full
#      mode's events on the same run, each phase's figures compared (xcheck-N.json's phaseCrossCheck;
#      xcheck-summary.txt gathers every round's verdict and differing rows). Variant xcheck-api adds --api cuda (the
#      API probes' own syscalls must stay out of every phase).
#   3. request-summary.txt: each variant's median request time over the rounds, and its ratio to the same round's
#      untraced run, each a median with its range;
#   4. then, if the budget allows, tools/h200-api-count.sh (API_ROUNDS rounds, 1: cuLaunchKernel against a known
#      number) and bench overhead --anchors (every mode and a traced marker; the perf anchors are absent there).
# Knobs: ROUNDS (5), VARIANTS (untraced default full api xcheck), API_ROUNDS (1), REQUESTS (200), BUDGET (560 s),
# PYTHON (the host's torch venv, else python3).
set -uo pipefail
out=${OUT:-/tmp/out}; r=/tmp/phases-h200; rm -rf "$r"; mkdir -p "$r"
g=.gpu
# An array, not a function: timeout runs a program, and a shell function is not one.
cli=(dotnet "$g/bin/GpuOsSpec.Cli/gpuosspec.dll")
py=${PYTHON:-/opt/torch/.venv/bin/python3}; [[ -x $py ]] || py=python3
export GPUOS_LIBRARY=$PWD/$g/bin/GpuOsSpec.Cli/libgpuos.so
bash tools/h200-machine.sh > "$r/machine.txt" 2>&1
infer=("$py" examples/pytorch/infer_gpuos.py --requests "${REQUESTS:-200}")
started=$SECONDS
stamp() { echo "$(( SECONDS - started )) s: $1" >> "$r/progress.txt"; }
# The device call ends at 600 s, and what is under $OUT comes back even then: each step is tarred as it ends, and a
# step that would not fit in what is left of BUDGET is skipped and says so.
budget=${BUDGET:-560}
fits() { (( SECONDS - started + $1 <= budget )) || { stamp "skipped $2: $1 s would pass the budget"; return 1; }; }
pack() { tar -C /tmp -czf "$out/phases-h200.tar.gz" phases-h200; }
want() { [[ " ${VARIANTS:-untraced default full api xcheck} " == *" $1 "* ]]; }
# A round's length is not known before the first: 60 s is the guess, then the last round's own length.
round_s=60
for i in $(seq "${ROUNDS:-5}"); do
  fits "$round_s" "round $i" || break
  round_started=$SECONDS
  want untraced && { timeout 60 "${infer[@]}" >> "$r/untraced.txt" 2>&1; stamp "round $i untraced rc $?"; }
  want default && { timeout 60 "${cli[@]}" trace --json "$r/default-$i.json" -- "${infer[@]}" >> "$r/default.txt" 2>&1; stamp "round $i default rc $?"; }
  want full && { timeout 60 "${cli[@]}" trace --mode full --json "$r/full-$i.json" -- "${infer[@]}" >> "$r/full.txt" 2>&1; stamp "round $i full rc $?"; }
  want api && { timeout 60 "${cli[@]}" trace --api cuda --json "$r/api-$i.json" -- "${infer[@]}" >> "$r/api.txt" 2>&1; stamp "round $i api rc $?"; }
  want xcheck && { timeout 60 "${cli[@]}" trace --mode full --cross-check-phases --json "$r/xcheck-$i.json" -- "${infer[@]}" >> "$r/xcheck.txt" 2>&1; stamp "round $i xcheck rc $?"; }
  want xcheck-api && { timeout 60 "${cli[@]}" trace --mode full --cross-check-phases --api cuda --json "$r/xcheck-api-$i.json" -- "${infer[@]}" >> "$r/xcheck-api.txt" 2>&1; stamp "round $i xcheck-api rc $?"; }
  pack
  round_s=$(( SECONDS - round_started ))
done
"$py" - "$r"/xcheck-*.json > "$r/xcheck-summary.txt" 2>&1 <<'PY'
import json, sys
for f in sys.argv[1:]:
    try:
        c = json.load(open(f)).get("phaseCrossCheck")
    except Exception as e:
        print(f, "unreadable:", e); continue
    if c is None:
        print(f, "no phaseCrossCheck"); continue
    print(f, "compared" if c["compared"] else "NOT COMPARED: " + str(c["reason"]), "equal" if c["equal"] else "", f'{len(c["rows"])} rows, {c["differences"]} differ, paths {c["paths"]}')
    if c["compared"] and not c["rows"]:
        print("  no row: neither side placed a syscall outside the default mode's decode set in any phase")
    for r in c["rows"]:
        if not r["equal"]:
            print(f'  {r["path"]} {r["syscall"]}: full {r["fullCalls"]}/{r["fullErrors"]} kernel {r["kernelCalls"]}/{r["kernelErrors"]} full-by-return {r["fullCallsByReturn"]} tids {r["differingTids"]}')
    figures = c.get("figures", [])
    print(f'  switches and faults: {len(figures)} figures, {sum(not x["equal"] for x in figures)} differ; not compared: {c.get("figuresNotCompared", [])}')
    for x in figures:
        if not x["equal"]:
            print(f'  {x["path"]} {x["figure"]}: full {x["full"]} kernel {x["kernel"]} tids {x["differingTids"]}')
        if x.get("unordered"):
            print(f'  {x["path"]} {x["figure"]}: {x["unordered"]} unordered at a boundary (full {x["full"]} kernel {x["kernel"]}) tids {x["unorderedTids"]}')
    for t in c.get("onCpu", []):
        print(f'  on-CPU {t["path"]}: full {t["fullNs"] / 1e6:.3f} ms kernel {t["kernelNs"] / 1e6:.3f} ms (openers {t["openersFullNs"] / 1e6:.3f} / {t["openersKernelNs"] / 1e6:.3f})')
PY
stamp "xcheck summary rc $?"
# The request time: each variant's round medians (the loop's own median request), their median with the lowest and
# highest; and each round's ratio to the untraced run of the same round, as the median with its range.
"$py" - "$r" > "$r/request-summary.txt" 2>&1 <<'PY'
import os, re, statistics, sys
r = sys.argv[1]
def medians(v):
    f = os.path.join(r, v + ".txt")
    return [float(x) for x in re.findall(r"median request ([0-9.]+) ms", open(f).read())] if os.path.exists(f) else []
base = medians("untraced")
print("variant: round medians (ms); their median [lowest-highest]; ratio to the same round's untraced: median [lowest-highest]")
for v in ["untraced", "default", "full", "api", "xcheck", "xcheck-api"]:
    m = medians(v)
    if not m:
        continue
    ratios = [a / b for a, b in zip(m, base)]
    line = f"{v}: {m}; {statistics.median(m):.3f} [{min(m):.3f}-{max(m):.3f}]"
    if ratios:
        line += f"; ratio {statistics.median(ratios):.3f}x [{min(ratios):.3f}-{max(ratios):.3f}] over {len(ratios)} rounds"
    print(line)
PY
stamp "request summary rc $?"
pack
fits 60 api-count && { ROUNDS=${API_ROUNDS:-1} OUT=$r timeout $(( budget - (SECONDS - started) )) bash tools/h200-api-count.sh; stamp "api-count rc $?"; pack; }
fits 120 bench && { timeout $(( budget - (SECONDS - started) )) "${cli[@]}" bench overhead --anchors --repeat 3 --json "$r/bench.json" > "$r/bench.txt" 2>&1; stamp "bench rc $?"; }
pack
