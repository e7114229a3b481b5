#!/usr/bin/env bash
# `make fuzz`: run each libFuzzer target of Fuzz/ for a bounded time and record what happened.
# Usage: scripts/fuzz.sh SECONDS TARGET...   (needs Fuzz/.build/release/CopydeskFuzz and .build/release/copydesk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1; shift
bin=Fuzz/.build/release/CopydeskFuzz
work=Fuzz/.work
mkdir -p "$work/artifacts"
rows=""
for target in "$@"; do
  corpus="$work/corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = model ]; then
    .build/release/copydesk train --corpus Fuzz/seeds/model-seed-corpus.jsonl --output "$corpus/seed.cdm" --min-df 1 --quiet >/dev/null
  else
    cp -n Fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  fi
  log="$work/$target.log"
  set +e
  SWIFT_BACKTRACE=enable=no "$bin" "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$work/artifacts/$target-" "$corpus" >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1)
  [ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  found=$(ls "$work/artifacts" 2>/dev/null | grep -c "^$target-" || true)
  result=$([ "$status" -eq 0 ] && echo "no crash" || echo "FINDING (exit $status), see $log")
  printf '%-10s %12s runs in %ss  %s\n' "$target" "${runs:-?}" "$seconds" "$result"
  rows="$rows| $target | ${runs:-?} | $seconds | $(ls "$corpus" | wc -l) | $found | $result |\n"
done
{
  echo "<!-- fuzz:start -->"
  echo "Run $(date -u +%F) with \`make fuzz FUZZ_SECONDS=$seconds\` (commit $(git rev-parse --short HEAD)), libFuzzer with AddressSanitizer."
  echo
  echo "| target | executions | seconds | corpus files after | crash artifacts | result |"
  echo "|---|---:|---:|---:|---:|---|"
  printf "%b" "$rows"
  echo "<!-- fuzz:end -->"
} > "$work/table.md"
python3 - "$work/table.md" <<'PY'
import sys, os
block = open(sys.argv[1]).read().strip()
path = "FUZZING.md"
text = open(path).read() if os.path.exists(path) else "# Fuzzing\n"
s, e = "<!-- fuzz:start -->", "<!-- fuzz:end -->"
if s in text and e in text:
    text = text[:text.index(s)] + block + text[text.index(e) + len(e):]
else:
    text = text.rstrip() + "\n\n## Latest run\n\n" + block + "\n"
open(path, "w").write(text)
PY
echo "fuzz: results in FUZZING.md; logs and any crash inputs in $work/"
