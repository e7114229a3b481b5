#!/usr/bin/env bash
# Rebuilds models/sections.cdm: the embedded newsroom corpus (read as the Harbor City desk) and, when
# ../shared/corpora/huffpost is present, HuffPost's headlines and teasers mapped to Copydesk's
# sections (read as a national US desk, with local copies for desks covering the places they name;
# see scripts/huffpost-sections.py and models/README.md). Prints cross-validated scores.
# usage: scripts/build-model.sh COPYDESK [MODEL]
set -euo pipefail
bin=$1 model=${2:-models/sections.cdm}
cd "$(dirname "$0")/.."
# Chosen by 5-fold cross-validation over the pooled training corpora (models/README.md).
options=(--c 10 --class-weight balanced)
corpora=(--corpus corpora/newsroom --desk corpora/desks/newsroom.json)
huffpost=../shared/corpora/huffpost/train.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$huffpost" ]; then
  python3 scripts/huffpost-sections.py --local-copies "$huffpost" "$tmp/huffpost.jsonl"
  corpora+=(--corpus "$tmp/huffpost.jsonl" --desk corpora/desks/us-national.json)
else
  echo "build-model.sh: $huffpost is absent; training on corpora/newsroom alone (a weaker model)" >&2
fi
"$bin" train "${corpora[@]}" --output "$model" "${options[@]}" --quiet
"$bin" cross-validate "${corpora[@]}" --folds 5 "${options[@]}" --quiet
