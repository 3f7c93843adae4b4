#!/usr/bin/env bash
# A headless-Chromium screenshot of a map: its page (map.html, with the first workloads' figures) and each figure.
#   bash tools/map-screenshot.sh gpuosspec-map [out-folder]
# Needs chromium (apt-get install chromium). Writes OUT/map.png and OUT/plots/WORKLOAD.png.
set -euo pipefail
map=${1:?usage: tools/map-screenshot.sh MAP-FOLDER [OUT-FOLDER]}
out=${2:-$map/screenshots}
[[ -f $map/map.html ]] || { echo "map-screenshot: $map/map.html not found; run gpuosspec map --out $map first" >&2; exit 2; }
command -v chromium >/dev/null || { echo "map-screenshot: chromium not found; apt-get install chromium" >&2; exit 2; }
mkdir -p "$out/plots"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
shot() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" --window-size="$1" --screenshot="$2" "file://$(realpath "$3")" >/dev/null 2>&1; echo "wrote $2"; }
shot 1280,2400 "$out/map.png" "$map/map.html"
for svg in "$map"/plots/*.svg; do
  shot 1400,1500 "$out/plots/$(basename "${svg%.svg}").png" "$svg"
done
