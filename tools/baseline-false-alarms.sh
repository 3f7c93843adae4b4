#!/usr/bin/env bash
# The baseline gate's false-alarm rate on this machine: record a program 5 times, compare the same program N times with
# the default tolerances (each compare must pass), then compare it with twice the work (it must fail).
#   bash tools/baseline-false-alarms.sh [N]       (default 20; as root, after dotnet build -c Release)
# Programs: tests/native/spin.c (10 phases of arithmetic, no syscall) and tests/native/markers.c (phases of getppid and
# instant markers), compiled against the libgpuos.so beside gpuosspec. Prints one line per compare and the counts.
set -u
n=${1:-20}
cd "$(dirname "$0")/.."
bin=src/GpuOsSpec.Cli/bin/Release/net10.0
g() { dotnet "$bin/gpuosspec.dll" "$@"; }
tmp=$(mktemp -d)
for p in spin markers; do
  cc -O2 -Igpuos/include -o "$tmp/$p" "tests/native/$p.c" -L"$bin" -lgpuos -Wl,-rpath,"$PWD/$bin" || exit 1
done
declare -A args=([spin]="10 20" [markers]="20")
declare -A doubled=([spin]="10 40" [markers]="20 0 2")
for p in spin markers; do
  g baseline record --out "$tmp/$p.json" --runs 5 -- "$tmp/$p" ${args[$p]} > "$tmp/$p-record.txt" 2>&1 || { cat "$tmp/$p-record.txt"; exit 1; }
  passed=0
  for i in $(seq "$n"); do
    g baseline compare "$tmp/$p.json" -- "$tmp/$p" ${args[$p]} > "$tmp/$p-$i.txt" 2>&1
    code=$?
    [[ $code -eq 0 ]] && passed=$((passed + 1)) || grep -E "^\| grew" "$tmp/$p-$i.txt"
    echo "$p compare $i: exit $code"
  done
  g baseline compare "$tmp/$p.json" -- "$tmp/$p" ${doubled[$p]} > "$tmp/$p-doubled.txt" 2>&1
  code=$?
  echo "$p: $passed of $n unchanged compares passed; with twice the work: exit $code"
  grep -E "^\| grew" "$tmp/$p-doubled.txt"
done
rm -rf "$tmp"
