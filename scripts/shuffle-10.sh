#!/usr/bin/env bash
# Issue 6, must-show 1: `npm test` ten times in a row on a CLEAN CLONE of this commit, each run in
# another shuffled order (another seed), with a summary at the end. Takes hours on a loaded machine;
# run it deliberately, not from CI.
#
#   scripts/shuffle-10.sh                 # 10 runs of the committed HEAD
#   RUNS=3 FIRST_SEED=1234 scripts/shuffle-10.sh
#   KEEP=1 scripts/shuffle-10.sh          # keep the clone afterwards (its path is printed)
#
# Uncommitted changes are NOT tested: the clone is of HEAD. PostgreSQL and Chromium are used as in
# CI (TEST_DATABASE_URL, CHROMIUM_PATH; defaults below). Exits non-zero if any run failed.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-10}"
commit="$(git -C "$repo" rev-parse HEAD)"
clone="$(mktemp -d "${TMPDIR:-/tmp}/loyaal-shuffle-10-XXXXXX")"
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$clone"; }
trap cleanup EXIT

echo "clean clone of $commit in $clone"
git clone --quiet --no-hardlinks "$repo" "$clone" && git -C "$clone" checkout --quiet "$commit" || exit 1
cd "$clone" || exit 1
npm ci --no-audit --no-fund >"$clone/npm-ci.log" 2>&1 || {
  echo "npm ci failed; see $clone/npm-ci.log" >&2
  KEEP=1
  exit 1
}
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
started=$(date +%s)
# scripts/test-shuffled.sh runs `npm test` $runs times, a new seed each run, and lists each seed
# with its result and vitest's summary line.
bash scripts/test-shuffled.sh "$runs" | tee "$clone/summary.txt"
status=${PIPESTATUS[0]}
echo "commit $commit, $runs runs in $(( ($(date +%s) - started) / 60 )) min: $([ "$status" -eq 0 ] && echo 'all passed' || echo 'SOME FAILED')"
[ "$status" -eq 0 ] || KEEP=1
exit "$status"
