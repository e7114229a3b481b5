#!/usr/bin/env bash
# `make test-browser`: the newsroom page in headless Chromium (scripts/test-browser.py).
# With --if-available (as `make test` calls it) it skips, saying why, when Chromium, its driver or
# selenium cannot be had; otherwise their absence is a failure.
# usage: scripts/test-browser.sh BUILD_DIR [--if-available]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 optional=${2:-}
skip() {
  if [ "$optional" = "--if-available" ]; then echo "test-browser: skipped: $1" >&2; exit 0; fi
  echo "test-browser: $1" >&2; exit 1
}
command -v chromium >/dev/null || skip "Chromium is not installed (Debian: apt-get install chromium chromium-driver; then make test-browser)"
command -v chromedriver >/dev/null || skip "chromium-driver is not installed (Debian: apt-get install chromium-driver)"
venv=${COPYDESK_BROWSER_VENV:-$HOME/.cache/copydesk-browser}
if ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q selenium >/dev/null 2>&1 \
    || skip "selenium could not be installed from PyPI into $venv"
fi
exec "$venv/bin/python" scripts/test-browser.py "$build" .build/test-browser
