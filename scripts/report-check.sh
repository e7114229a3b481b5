#!/usr/bin/env bash
# Writes an evaluation report of a model, renders it in headless Chromium at desktop and phone
# widths, and checks that both screenshots show a page (not blank) and that Chromium logged no
# console errors. Screenshots: .build/report-check/report.png and report-phone.png.
# usage: scripts/report-check.sh COPYDESK MODEL   (exit 3 when Chromium is not installed)
set -euo pipefail
bin=$1 model=$2
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "report-check: Chromium is not installed (Debian: apt-get install chromium); skipped" >&2
  exit 3
fi
out=.build/report-check
mkdir -p "$out"
# Articles the shipped model did not learn from when they are there (HuffPost's test split, the
# founding page); else the embedded corpus.
corpora=()
if [ -f ../shared/corpora/huffpost/test.jsonl ]; then
  python3 scripts/huffpost-sections.py ../shared/corpora/huffpost/test.jsonl "$out/huffpost-test.jsonl"
  corpora+=(--corpus "$out/huffpost-test.jsonl" --desk corpora/desks/us-national.json)
else
  corpora+=(--corpus corpora/newsroom --desk corpora/desks/newsroom.json)
fi
if [ -f ../shared/seeds/000_e2265488d5187a01.txt ]; then
  python3 scripts/founding-page.py > "$out/founding.jsonl"
  corpora+=(--corpus "$out/founding.jsonl" --desk corpora/desks/everett.json)
fi
"$bin" report --model "$model" "${corpora[@]}" --output "$out/report.html" --quiet
grep -q "<svg" "$out/report.html" || { echo "report-check: no chart in the report" >&2; exit 1; }
if grep -Eq '(src|href)="(https?:)?//' "$out/report.html"; then
  echo "report-check: the report fetches something from the network" >&2
  exit 1
fi
scripts/screenshot.sh "$out/report.html" "$out/report.png" 1280 2600
scripts/screenshot.sh "$out/report.html" "$out/report-phone.png" 400 2400
python3 scripts/png-check.py "$out/report.png"
python3 scripts/png-check.py "$out/report-phone.png"
echo "report-check: $out/report.png and $out/report-phone.png render"
