#!/usr/bin/env bash
# Renders a local HTML file in headless Chromium (Debian's `chromium`) and saves a PNG screenshot;
# fails when Chromium logs a console error or the page does not load.
# usage: scripts/screenshot.sh PAGE.html OUT.png [WIDTH [HEIGHT]]
set -euo pipefail
page=$1 out=$2 width=${3:-1280} height=${4:-2600}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "screenshot.sh: Chromium is not installed (Debian: apt-get install chromium)" >&2
  exit 3
fi
log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
# --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. Nothing is fetched: the
# page is a local file and the network is refused by the proxy setting.
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --proxy-server="127.0.0.1:9" --enable-logging=stderr --v=0 --window-size="$width,$height" \
  --screenshot="$out" "file://$(realpath "$page")" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
if grep -E "CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|Failed to load" "$log" >&2; then
  echo "screenshot.sh: the page logged errors" >&2
  exit 1
fi
[ -s "$out" ] || { echo "screenshot.sh: no screenshot written" >&2; exit 1; }
