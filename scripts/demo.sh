#!/usr/bin/env bash
# `make demo`: classify and explain the sample articles with the shipped model.
set -euo pipefail
bin=${1:-.build/release/copydesk}
model=${2:-models/sections.cdm}
if [ ! -f "$model" ]; then
  echo "$model is missing; rebuilding it from corpora/newsroom (make model)" >&2
  "$bin" train --corpus corpora/newsroom --output "$model" --ngrams 1 --min-df 1 --quiet
fi
echo "Copydesk demo: the section of each sample article, the words that decided it, its lede and a teaser."
"$bin" inspect "$model" | sed -n '2,3p'
for f in corpora/samples/*.txt; do
  echo
  echo "== $(head -n 1 "$f")"
  "$bin" classify --model "$model" --top 3 --explain 5 "$f" | sed 's/^corpora\/samples\//  /'
  "$bin" summarize --teaser-chars 160 "$f" | grep -E '^(lede|teaser):' | sed 's/^/  /'
done
