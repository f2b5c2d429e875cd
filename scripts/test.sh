#!/usr/bin/env bash
# `npm test`: type check, lint, unit tests, integration tests on SQLite, integration tests on
# PostgreSQL when DATABASE_URL_PG is set (npm run pg:start prints it), then the end-to-end tests
# against the production build in Debian's Chromium. Exits non-zero if anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed=()

run() {
  local name=$1; shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then echo "=== $name: ok ($((SECONDS - start)) s)"; else echo "=== $name: FAILED ($((SECONDS - start)) s)"; failed+=("$name"); fi
}

# Type check and lint are independent: run them side by side.
echo "=== type check and lint"
start=$SECONDS
npm run --silent typecheck > "$results/typecheck.log" 2>&1 & tc=$!
npm run --silent lint > "$results/lint.log" 2>&1 & li=$!
if wait $tc; then echo "type check: ok"; else cat "$results/typecheck.log"; failed+=("type check"); fi
if wait $li; then echo "lint: ok"; else cat "$results/lint.log"; failed+=("lint"); fi
echo "=== type check and lint: $((SECONDS - start)) s"

run "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile="$results/unit.json"
integration() { # $1: sqlite or pg (PULSE_TEST_DB)
  env PULSE_TEST_DB="$1" npx vitest run --project integration --reporter=default --reporter=json --outputFile="$results/integration-$1.json"
}
if [ -n "${DATABASE_URL_PG:-}" ]; then
  # Each file of each suite has its own database copy: the two suites run side by side, each
  # into its log, shown when it ends.
  echo
  echo "=== integration tests (SQLite and PostgreSQL, side by side)"
  start=$SECONDS
  integration sqlite > "$results/integration-sqlite.log" 2>&1 & sq=$!
  integration pg > "$results/integration-pg.log" 2>&1 & pg=$!
  for suite in sqlite pg; do
    if [ $suite = sqlite ]; then pid=$sq; name="integration tests (SQLite)"; else pid=$pg; name="integration tests (PostgreSQL)"; fi
    if wait $pid; then status=ok; else status=FAILED; failed+=("$name"); fi
    cat "$results/integration-$suite.log"
    echo "=== $name: $status ($((SECONDS - start)) s)"
  done
else
  run "integration tests (SQLite)" integration sqlite
  echo
  echo "=== integration tests (PostgreSQL): not run, DATABASE_URL_PG is not set (npm run pg:start prints it)"
fi
run "end-to-end tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json
# After the end-to-end tests: they leave a current production build, which these serve themselves.
run "production tests" npx vitest run --project production --reporter=default --reporter=json --outputFile="$results/production.json"

echo
node scripts/test-summary.mjs "$results"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
