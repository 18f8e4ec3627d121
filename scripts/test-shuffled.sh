#!/usr/bin/env bash
# Runs `npm test` several times in a row, each time in another random order (files and the tests
# within each file are shuffled; see vitest.config.ts), and reports every seed with its result.
#
#   scripts/test-shuffled.sh [runs]      # default 10 runs; `npm run test:shuffled -- 3` works too
#   FIRST_SEED=1234 scripts/test-shuffled.sh 5
#
# A failed run's seed reproduces its order: `npm test -- --sequence.seed=<seed>`. Each run's full
# output is kept in the directory printed at the start. Exits non-zero if any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-10}"
seed="${FIRST_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/loyaal-shuffled-XXXXXX")"
echo "$runs shuffled runs of npm test; logs in $logs"
failed=0
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  log="$logs/run-$i-seed-$seed.log"
  if TEST_SHUFFLE=1 npm test -- --sequence.seed="$seed" >"$log" 2>&1; then result=passed; else
    result=FAILED
    failed=$((failed + 1))
  fi
  # The summary lines vitest prints at the end, without colours.
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tail -1 | sed 's/^ *//')
  echo "run $i, seed $seed: $result in $(( $(date +%s) - started )) s ($summary)"
  seed=$(( (seed * 48271 + 11) % 2147483647 ))
done
echo "$((runs - failed)) of $runs runs passed"
[ "$failed" -eq 0 ]
