#!/usr/bin/env bash
# The house style, as CI checks it (../shared/DESIGN.md, .editorconfig):
#   bash tools/check-style.sh        (from the repository root)
# The .editorconfig rules marked warning: file-scoped namespaces, usings outside, _camelCase fields, PascalCase
# constants. Fix what it finds with `dotnet format style GpuOsSpec.sln --severity warn`. Comments are wrapped at 120
# columns, and this fails when one runs past them (code is not rewrapped by a formatter: csharpier's layout raised the
# repetition the duplicates count looks for from 45 to 121 pairs).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet format style GpuOsSpec.sln --verify-no-changes --severity warn
long=$(git ls-files '*.cs' | grep -v '\.g\.cs$' | xargs awk 'length > 120 && /^[ \t]*\/\// { print FILENAME ":" FNR }')
if [[ -n $long ]]; then
  echo "style: comment lines past 120 columns (wrap them):"; echo "$long"; exit 1
fi
echo "style: ok"
