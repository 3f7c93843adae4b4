#!/bin/bash
# Builds phases.bpf.c (clang, CO-RE against this kernel's BTF), its libbpf loader and test program, and checks the
# per-phase figures the kernel sums against the known ones (tests/native/phases-prog.c). Needs root, clang, bpftool,
# libbpf-dev.  Usage: tests/native/phases.sh [BUILD_DIR]   (default /tmp/gpuos-phases)
#   PHASES_BUILD_ONLY=1 builds and stops; BPF_CFLAGS adds clang flags for phases.bpf.c (for measuring variants).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-/tmp/gpuos-phases}
bpf=$root/src/GpuOsSpec.Tracing/Bpf
mkdir -p "$build"
[ -s "$build/vmlinux.h" ] || bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$build/vmlinux.h"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 ${BPF_CFLAGS:-} -I"$build" -I"$bpf" -c "$bpf/phases.bpf.c" -o "$build/phases.bpf.o"
bpftool gen skeleton "$build/phases.bpf.o" name phases_bpf > "$build/phases.skel.h"
cc -O2 -Wall -I"$build" -I"$bpf" -o "$build/phases-loader" "$root/tests/native/phases-loader.c" -lbpf -lelf -lz
# libgpuos as shipped (its marker probe starts with a 5-byte nop, which Linux 6.18+ optimizes) and with the plain
# entry (a breakpoint trap per hit), for comparing the two.
cc -O2 -Wall -fPIC -shared -DGPUOS_PROBE_TRAP -o "$build/libgpuos.so" "$root/gpuos/src/gpuos.c" "$root/gpuos/src/completion.c" -ldl -lpthread
cc -O2 -Wall -fPIC -shared -o "$build/libgpuos-nop5.so" "$root/gpuos/src/gpuos.c" "$root/gpuos/src/completion.c" -ldl -lpthread
for v in "" -nop5; do
  mkdir -p "$build/lib$v"
  cp "$build/libgpuos$v.so" "$build/lib$v/libgpuos.so"
done
cc -O2 -Wall -I"$root/gpuos/include" -o "$build/phases-prog" "$root/tests/native/phases-prog.c" -L"$build/lib" -lgpuos -lpthread
cc -O2 -Wall -I"$root/gpuos/include" -o "$build/bench_markers" "$root/gpuos/tests/bench_markers.c" -L"$build/lib" -lgpuos
cc -O2 -Wall -o "$build/storm" "$root/tests/native/storm.c" -lpthread
# The optimization needs the nop as the probed address's first instruction.
first=$(objdump -d --no-show-raw-insn "$build/libgpuos-nop5.so" | awk '/<gpuos_probe_marker>:/ { getline; if (!done) print; done = 1 }')
case "$first" in *nopl*) ;; *) echo "FAIL gpuos_probe_marker does not start with a 5-byte nop: $first"; exit 1 ;; esac
if [ "${PHASES_BUILD_ONLY:-0}" = 1 ]; then exit 0; fi

fails=0
# run LIBDIR ARGS...: the program under the loader (in the mode of $timing), probing that library file.
run() {
  local libdir=$1; shift
  LD_LIBRARY_PATH=$libdir "$build/phases-loader" $timing --markers --lib "$libdir/libgpuos.so" -- "$build/phases-prog" "$@"
}
# field OUT PREFIX COLUMN: column COLUMN of the line starting with PREFIX ("0" when absent: the map had no entry).
field() { awk -v p="$2" -v c="$3" 'index($0, p" ") == 1 { print $c; found=1; exit } END { if (!found) print 0 }' <<<"$1"; }
# syscalls OUT VIEW PATH: every syscall counted in that phase.
syscalls() { awk -v v="$2" -v p="$3" '$1 == "T" && $2 == v && $3 == p { n += $5 } END { print n + 0 }' <<<"$1"; }
expect() {
  local what=$1 got=$2 want=$3
  if [ "$got" = "$want" ]; then echo "ok   $what = $got"; else echo "FAIL $what = $got, expected $want"; fails=$((fails + 1)); fi
}
stats_zero() {
  for s in bad_records unmatched too_deep map_full events_lost untracked unresolved_sets recursion_misses; do
    expect "$1: stat $s" "$(field "$2" "S $s" 3)" 0
  done
}

# Both modes: untimed (the default: gos_sys_enter keeps only the set at entry) and --timing (it times each call too).
for timing in "" --timing; do
for lib in lib lib-nop5; do
  echo "== library $lib ${timing:-(untimed)}"
  out=$(run "$build/$lib" storm 100000)
  expect "storm: markers" "$(field "$out" "S markers" 3)" 100002
  expect "storm: syscalls in storm (thread)" "$(syscalls "$out" thread storm)" 0
  expect "storm: syscalls in storm/tick (thread)" "$(syscalls "$out" thread storm/tick)" 0
  expect "storm: syscalls in storm (window)" "$(syscalls "$out" window storm)" 0
  stats_zero storm "$out"
  echo "     storm: probe syscalls left out $(field "$out" "S probe_syscalls" 3)"
  if [ "$lib" = lib-nop5 ]; then
    expect "storm: the optimized probe's uprobe syscalls left out (the first hit traps)" "$(field "$out" "S probe_syscalls" 3)" 100001
  fi

  out=$(run "$build/$lib" known 1000)
  expect "known: getppid in known (thread)" "$(field "$out" "T thread known 110" 5)" 1000
  expect "known: getppid errors" "$(field "$out" "T thread known 110" 6)" 0
  expect "known: syscalls in known (thread)" "$(syscalls "$out" thread known)" 1000
  expect "known: getppid in known (window)" "$(field "$out" "T window known 110" 5)" 1000
  if [ -n "$timing" ]; then
    expect "known: getppid untimed" "$(field "$out" "T thread known 110" 7)" 0
    expect "known: getppid timed" "$(awk '{ print ($1 > 0) }' <<<"$(field "$out" "T thread known 110" 8)")" 1
  else
    expect "known: getppid untimed" "$(field "$out" "T thread known 110" 7)" 1000
    expect "known: getppid time" "$(field "$out" "T thread known 110" 8)" 0
  fi
  stats_zero known "$out"

  # Linux 6.18 leaves the optimized probe's trampoline out of a forked child but copies the call to it: libgpuos maps
  # the site's page again in the child (gpuos.c, repair_probe_site), and the child's markers count as with the trap.
  out=$(run "$build/$lib" fork)
  expect "fork: getppid in child (thread)" "$(field "$out" "T thread child 110" 5)" 3
  expect "fork: syscalls in child (thread)" "$(syscalls "$out" thread child)" 3
  expect "fork: getppid in work (thread)" "$(field "$out" "T thread work 110" 5)" 2
  expect "fork: getppid in work (window: the child's too)" "$(field "$out" "T window work 110" 5)" 5
  expect "fork: the child's markers" "$(awk '$1 == "M" && $2 != pid && $4 ~ /^[0-9]$/ { n++ } $1 == "M" && !pid { pid = $2 } END { print n + 0 }' <<<"$out")" 2
  stats_zero fork "$out"

  # A fork that runs no atfork handler (the raw syscall): the child mends the site at its first marker.
  out=$(run "$build/$lib" rawfork)
  expect "rawfork: markers (3 before the fork, the child's 2)" "$(field "$out" "S markers" 3)" 5
  stats_zero rawfork "$out"

  out=$(run "$build/$lib" exec)
  expect "exec: getppid in pre (thread)" "$(field "$out" "T thread pre 110" 5)" 2
  expect "exec: getppid in post (thread)" "$(field "$out" "T thread post 110" 5)" 4
  expect "exec: execve in carried (thread)" "$(field "$out" "T thread carried 59" 5)" 1
  expect "exec: getppid in carried's window" "$(field "$out" "T window carried 110" 5)" 0
  expect "exec: phases closed by the exec" "$(field "$out" "S exec_closed" 3)" 1
  stats_zero exec "$out"

  # A phase an ended thread left open is its process's until the exec, which closes it too.
  out=$(run "$build/$lib" exitexec)
  expect "exitexec: the thread's begin of left" "$(grep -c ' 1 1 left$' <<<"$out")" 1
  expect "exitexec: getppid in post (thread)" "$(field "$out" "T thread post 110" 5)" 4
  expect "exitexec: getppid in left's window, closed by the exec" "$(field "$out" "T window left 110" 5)" 0
  stats_zero exitexec "$out"

  out=$(run "$build/$lib" thread)
  expect "thread: getppid in main (thread)" "$(field "$out" "T thread main 110" 5)" 1
  expect "thread: getppid in main (window)" "$(field "$out" "T window main 110" 5)" 6
  expect "thread: getppid outside any phase (thread view: the unmarked thread's)" "$(field "$out" "T thread - 110" 5)" 5
  stats_zero thread "$out"

  expect "thread: exit of the unmarked thread (no phase)" "$(field "$out" "T thread - 60" 5)" 1
  expect "thread: exit_group at the end (no phase)" "$(field "$out" "T thread - 231" 5)" 1
  expect "thread: exit_group untimed" "$(field "$out" "T thread - 231" 7)" 1

  out=$(run "$build/$lib" killed)
  expect "killed: exit_group in k (thread)" "$(field "$out" "T thread k 231" 5)" 1
  expect "killed: exit, in any phase (a killed thread calls none)" "$(awk '$1 == "T" && $2 == "thread" && $4 == 60 { n += $5 } END { print n + 0 }' <<<"$out")" 0
  expect "killed: pause interrupted by the kill (calls)" "$(field "$out" "T thread - 34" 5)" 1
  expect "killed: pause interrupted by the kill (errors)" "$(field "$out" "T thread - 34" 6)" 1
  stats_zero killed "$out"

  if [ "$lib" = lib ]; then
    out=$(run "$build/$lib" linger)
    expect "linger: getppid in linger, a child alive at the end (thread)" "$(field "$out" "T thread linger 110" 5)" 7
    stats_zero linger "$out"
  fi

  if [ "$lib" = lib ]; then
    # More threads than CPUs: the CPUs' caches change owner at every switch, and every count must still land once.
    out=$("$build/phases-loader" $timing --threads -- "$build/storm" 400000 4)
    expect "threads: getppid of 4 threads sharing the CPUs" "$(field "$out" "T thread - 110" 5)" 400000
    expect "threads: threads with exactly 100,000 getppid" "$(awk '$1 == "H" && $3 == 110 && $4 == 100000 { n++ } END { print n + 0 }' <<<"$out")" 4
    stats_zero threads "$out"
  fi

  out=$(run "$build/$lib" repeat)
  expect "repeat: getppid in step's three runs" "$(awk '$1 == "R" && $3 == "step" && $4 == 110 { print $2, $5 }' <<<"$out" | sort -n | awk '{ printf "%s%s", sep, $2; sep = "," } END { print "" }')" 1,2,3
  expect "repeat: getppid in step (window, all runs)" "$(field "$out" "T window step 110" 5)" 6
  stats_zero repeat "$out"

  # A call counts under the open set at its entry, as full mode places it: the reader thread's read, blocked from
  # before the phase's begin until the phase's write, is in no phase; the write is in it (the positive control).
  out=$(run "$build/$lib" straddle)
  expect "straddle: read in straddle, entered before it (window)" "$(field "$out" "T window straddle 0" 5)" 0
  expect "straddle: write in straddle (window)" "$(field "$out" "T window straddle 1" 5)" 1
  expect "straddle: the reader's read, outside any phase (thread)" "$(awk '$1 == "T" && $2 == "thread" && $3 == "-" && $4 == 0 { n += $5 } END { print (n > 0) }' <<<"$out")" 1
  stats_zero straddle "$out"

  out=$(run "$build/$lib" signal)
  expect "signal: rt_sigreturn in sig (thread)" "$(field "$out" "T thread sig 15" 5)" 3
  expect "signal: getppid in sig (thread)" "$(field "$out" "T thread sig 110" 5)" 1
  expect "signal: syscalls in sig/handler (thread)" "$(syscalls "$out" thread sig/handler)" 0
  expect "signal: markers" "$(field "$out" "S markers" 3)" 8
  stats_zero signal "$out"
  if [ "$lib" = lib-nop5 ]; then
    expect "signal: the optimized probe's uprobe syscalls left out" "$(field "$out" "S probe_syscalls" 3)" 7
  fi
done
done
echo "$fails failure(s)"
[ "$fails" = 0 ]
