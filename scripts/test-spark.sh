#!/usr/bin/env bash
# `make test-spark`: scripts/spark-annotate.py with local[2] on the 20 Newsgroups test set must give
# the same lines as one `copydesk classify --format jsonl` process (compared as sorted lines).
# Sets up pyspark (PyPI) in its own virtual environment; needs Java 17 (Debian openjdk-17-jre-headless).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/copydesk}
corpus=${CORPORA:-../shared/corpora}/20news/test.jsonl
if [ ! -f "$corpus" ]; then
  echo "test-spark: $corpus not found; using corpora/newsroom as a JSONL archive instead" >&2
  corpus=$(mktemp --suffix=.jsonl)
  python3 - "$corpus" <<'PY'
import json, os, sys
root = "corpora/newsroom"
with open(sys.argv[1], "w") as f:
    for section in sorted(os.listdir(root)):
        folder = os.path.join(root, section)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                f.write(json.dumps({"id": f"{section}/{name}", "text": open(os.path.join(folder, name)).read()}) + "\n")
PY
fi
command -v java >/dev/null || { echo "test-spark: Java is not installed (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
venv=${COPYDESK_SPARK_VENV:-$HOME/.cache/copydesk-spark}
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
  echo "test-spark: installing pyspark into $venv (PyPI) ..." >&2
  python3 -m venv "$venv" && "$venv/bin/pip" install -q pyspark
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" classify --format jsonl "$corpus" 2>/dev/null | sort > "$work/single.txt"
"$venv/bin/python" scripts/spark-annotate.py "$corpus" "$work/spark" --master 'local[2]' --partitions 4 --copydesk "$binary"
cat "$work"/spark/part-* | sort > "$work/spark.txt"
lines=$(wc -l < "$work/single.txt")
if cmp -s "$work/single.txt" "$work/spark.txt"; then
  echo "test-spark: ok: $lines lines from Spark (local[2], 4 partitions) equal the single process's"
else
  echo "test-spark: FAILED: Spark's $(wc -l < "$work/spark.txt") lines differ from the single process's $lines" >&2
  diff <(head -c 2000 "$work/single.txt") <(head -c 2000 "$work/spark.txt") | head -20 >&2
  exit 1
fi
