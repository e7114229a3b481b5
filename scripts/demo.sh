#!/usr/bin/env bash
# `make demo`: classify and explain the sample articles with the shipped model.
set -euo pipefail
bin=${1:-.build/release/copydesk}
model=${2:-models/sections.cdm}
if [ ! -f "$model" ]; then
  echo "$model is missing; rebuilding it (make model)" >&2
  scripts/build-model.sh "$bin" "$model"
fi
# The samples are the Harbor City paper's stories: read them as its desk does.
desk=corpora/desks/newsroom.json
echo "Copydesk demo: the section of each sample article, the words that decided it, its lede and a teaser."
"$bin" inspect "$model" | sed -n '2,3p'
for f in corpora/samples/*.txt; do
  echo
  echo "== $(head -n 1 "$f")"
  "$bin" classify --model "$model" --desk "$desk" --top 3 --explain 5 "$f" | sed 's/^corpora\/samples\//  /'
  "$bin" summarize --teaser-chars 160 "$f" | grep -E '^(lede|teaser):' | sed 's/^/  /'
done
# The founding example, a real paper's page, read as its own desk (Everett's Daily Herald).
seed=../shared/seeds/000_e2265488d5187a01.txt
if [ -f "$seed" ]; then
  echo
  echo "== The founding page's wire story and its 12 local teasers, read as The Daily Herald (Everett, WA)"
  tmp=$(mktemp)
  python3 scripts/founding-page.py "$seed" > "$tmp"
  "$bin" classify --model "$model" --desk corpora/desks/everett.json --format jsonl "$tmp" \
    | python3 -c 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print("  %-10s %-10s %.2f" % (r["id"], r["label"], max(r["probabilities"].values())))'
  rm -f "$tmp"
fi
