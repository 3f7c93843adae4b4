#!/usr/bin/env bash
# The house style, as CI checks it (../shared/DESIGN.md; .editorconfig; .csharpierrc.json):
#   bash tools/check-style.sh        (from the repository root, after `dotnet tool restore`)
# 1. layout: csharpier, 120 columns (it leaves a string literal it cannot break whole);
# 2. the .editorconfig rules marked warning: file-scoped namespaces, usings outside, _camelCase fields, PascalCase constants.
# Fix what 1 finds with `dotnet csharpier format .`, and 2 with `dotnet format style GpuOsSpec.sln --severity warn`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet csharpier check . | tail -1
dotnet format style GpuOsSpec.sln --verify-no-changes --severity warn
echo "style: ok"
