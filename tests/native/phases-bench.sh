#!/bin/bash
# Side-by-side costs of phases.bpf.c on this machine (needs root; builds with phases.sh first).
#   1. a getppid storm (CALLS, default 2,000,000) untraced and under phases-loader, interleaved REPEAT times (default 5):
#      medians of ns per syscall and the ratio;
#   2. gpuos_mark untraced (1,000,000 a round) and traced under phases-loader (100,000 a round), with the shipped
#      library (a breakpoint trap per hit) and the -DGPUOS_PROBE_NOP5 one (an optimized uprobe), interleaved;
#   3. with GPUOSSPEC=path/to/gpuosspec(.dll), `gpuosspec bench overhead` on the same storm binary right after.
# Usage: tests/native/phases-bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-/tmp/gpuos-phases}
calls=${CALLS:-2000000}
repeat=${REPEAT:-5}
PHASES_BUILD_ONLY=1 "$root/tests/native/phases.sh" "$build"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall() { awk '$1 == "W" { print $2 }'; }

untraced=() floor=() loaded=()
for i in $(seq "$repeat"); do
  untraced+=("$("$build/phases-loader" --untraced -- "$build/storm" "$calls" | wall)")
  floor+=("$("$build/phases-loader" --floor --quiet -- "$build/storm" "$calls" | wall)")
  loaded+=("$("$build/phases-loader" --quiet -- "$build/storm" "$calls" | wall)")
done
u=$(printf '%s\n' "${untraced[@]}" | median)
f=$(printf '%s\n' "${floor[@]}" | median)
l=$(printf '%s\n' "${loaded[@]}" | median)
awk -v u="$u" -v f="$f" -v l="$l" -v n="$calls" -v r="$repeat" 'BEGIN {
  printf "storm of %d getppid, median of %d interleaved runs:\n", n, r
  printf "  untraced                      %.3f us a syscall\n", u / n / 1000
  printf "  empty sys_enter/sys_exit      %.3f us a syscall  ratio %.3fx  added %.3f us\n", f / n / 1000, f / u, (f - u) / n / 1000
  printf "  phases.bpf.c (per phase)      %.3f us a syscall  ratio %.3fx  added %.3f us\n", l / n / 1000, l / u, (l - u) / n / 1000 }'
echo "  runs (ns): untraced ${untraced[*]}; empty ${floor[*]}; phases ${loaded[*]}"

for lib in lib lib-nop5; do
  plain=$(LD_LIBRARY_PATH=$build/$lib "$build/bench_markers" 1000000)
  traced=$(LD_LIBRARY_PATH=$build/$lib "$build/phases-loader" --quiet --lib "$build/$lib/libgpuos.so" -- "$build/bench_markers" 100000)
  echo "gpuos_mark, $lib: untraced: ${plain#gpuos_mark: }"
  echo "gpuos_mark, $lib: traced:   $(grep '^gpuos_mark' <<<"$traced" | sed 's/^gpuos_mark: //')" \
    "[events lost $(awk '$2 == "events_lost" { print $3 }' <<<"$traced"), probe syscalls left out $(awk '$2 == "probe_syscalls" { print $3 }' <<<"$traced")]"
done

if [ -n "${GPUOSSPEC:-}" ]; then
  case "$GPUOSSPEC" in *.dll) cmd=(dotnet "$GPUOSSPEC") ;; *) cmd=("$GPUOSSPEC") ;; esac
  "${cmd[@]}" bench overhead --calls "$calls" --repeat "$repeat" --storm "$build/storm"
fi
