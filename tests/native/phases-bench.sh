#!/bin/bash
# Side-by-side costs of phases.bpf.c on this machine (needs root; builds with phases.sh first).
#   1. a getppid storm (CALLS, default 2,000,000) run REPEAT times (default 5), every variant once a round,
#      interleaved: untraced; perf counters on raw_syscalls:sys_enter (what `perf stat -e raw_syscalls:sys_enter`
#      opens) and on sys_enter and sys_exit; one empty sys_exit program; two empty programs; phases.bpf.c untimed
#      (the default: sys_exit alone) and --timing; with OLD=BUILD_DIR, that build's phases-loader too (an earlier
#      phases.bpf.c, for a before/after). Medians of ns per syscall and the ratio to untraced;
#   2. gpuos_mark untraced (1,000,000 a round) and traced under phases-loader (100,000 a round), with the library
#      built -DGPUOS_PROBE_TRAP (a breakpoint trap per hit) and the shipped one (its 5-byte nop: an optimized uprobe),
#      interleaved; then uprobe-floor (tests/native/uprobe-floor.c): what the kernel's uprobe costs a call with the
#      least consumer (a perf counter, one map increment), with syscall tracing on, and sampled, optimized and trapped;
#   3. with GPUOSSPEC=path/to/gpuosspec(.dll), `gpuosspec bench overhead` on the same storm binary right after.
# Usage: tests/native/phases-bench.sh [BUILD_DIR]     (MARKERS=0 skips 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-/tmp/gpuos-phases}
calls=${CALLS:-2000000}
repeat=${REPEAT:-5}
PHASES_BUILD_ONLY=1 "$root/tests/native/phases.sh" "$build"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall() { awk '$1 == "W" { print $2 }'; }

names=(untraced perf-enter perf-both empty-exit empty-both phases-untimed phases-timed)
args=("--untraced" "--perf 1" "--perf 2" "--floor-exit --quiet" "--floor --quiet" "--quiet" "--timing --quiet")
loaders=("$build" "$build" "$build" "$build" "$build" "$build" "$build")
if [ -n "${OLD:-}" ]; then
  names+=(old-phases); args+=("--quiet"); loaders+=("$OLD")
fi
declare -A runs
for i in $(seq "$repeat"); do
  for k in "${!names[@]}"; do
    # shellcheck disable=SC2086
    runs[$k]+="$("${loaders[$k]}/phases-loader" ${args[$k]} -- "$build/storm" "$calls" | wall) "
  done
done
u=$(tr ' ' '\n' <<<"${runs[0]}" | grep . | median)
echo "storm of $calls getppid, median of $repeat interleaved rounds ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)):"
for k in "${!names[@]}"; do
  m=$(tr ' ' '\n' <<<"${runs[$k]}" | grep . | median)
  awk -v name="${names[$k]}" -v m="$m" -v u="$u" -v n="$calls" 'BEGIN {
    printf "  %-16s %.3f us a syscall  ratio %.3fx  added %+.3f us\n", name, m / n / 1000, m / u, (m - u) / n / 1000 }'
done
for k in "${!names[@]}"; do
  echo "  runs (ns) ${names[$k]}: ${runs[$k]}"
done

if [ "${MARKERS:-1}" = 1 ]; then
  for lib in lib lib-nop5; do
    plain=$(LD_LIBRARY_PATH=$build/$lib "$build/bench_markers" 1000000)
    traced=$(LD_LIBRARY_PATH=$build/$lib "$build/phases-loader" --quiet --lib "$build/$lib/libgpuos.so" -- "$build/bench_markers" 100000)
    echo "gpuos_mark, $lib: untraced: ${plain#gpuos_mark: }"
    echo "gpuos_mark, $lib: traced:   $(grep '^gpuos_mark' <<<"$traced" | sed 's/^gpuos_mark: //')" \
      "[events lost $(awk '$2 == "events_lost" { print $3 }' <<<"$traced"), probe syscalls left out $(awk '$2 == "probe_syscalls" { print $3 }' <<<"$traced")]"
  done
  cc -O2 -Wall -o "$build/uprobe-floor" "$root/tests/native/uprobe-floor.c" -ldl -lbpf
  clang -g -O2 -target bpf -I/usr/include/"$(uname -m)"-linux-gnu -c "$root/tests/native/uprobe-count.bpf.c" -o "$build/uprobe-count.bpf.o"
  echo "uprobe-floor, ns a call (medians of 5 runs of 100,000):"
  "$build/uprobe-floor" 100000 "$repeat"
fi

if [ -n "${GPUOSSPEC:-}" ]; then
  case "$GPUOSSPEC" in *.dll) cmd=(dotnet "$GPUOSSPEC") ;; *) cmd=("$GPUOSSPEC") ;; esac
  "${cmd[@]}" bench overhead --calls "$calls" --repeat "$repeat" --storm "$build/storm"
fi
