#!/usr/bin/env bash
# Run every test lane, print a summary, fail if any lane failed or ran no test.
# Lanes: sqlite and postgresql (the suite on each database), fuzz (tests/fuzz, once), browser.
#
# The database lanes run on pytest-xdist workers (SIECES_TEST_WORKERS, default "auto" = one per
# CPU; each worker has its own SQLite file or PostgreSQL database). The browser lane runs in
# one process: it shares one live server with demo data, and a second worker would seed a second
# one for a lane of a few dozen tests (SIECES_TEST_BROWSER_WORKERS to change it).
# The summary gives, per lane, wall-clock seconds and the CPU seconds of the lane's processes
# (user + system, the PostgreSQL server excluded): on a shared machine the second figure says
# how much work the lane is, the first how long it took there and then.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
WORKERS="${SIECES_TEST_WORKERS:-auto}"
BROWSER_WORKERS="${SIECES_TEST_BROWSER_WORKERS:-0}"
mkdir -p test-artifacts
declare -a names results
overall=0
start_all=$(date +%s)

lane() {
  local name="$1"; shift
  local log="test-artifacts/lane-${name}.log"
  local times="test-artifacts/lane-${name}.times"
  echo "=== lane: ${name} ==="
  local TIMEFORMAT='%0R %0U %0S'
  { time (env "$@" 2>&1 | tee "$log"; exit "${PIPESTATUS[0]}"); } 2> "$times"
  local rc=$?
  local wall user sys
  read -r wall user sys < <(tail -n1 "$times")
  local summary
  summary=$(grep -E "^(=+ )?[0-9]+ (passed|failed|error)" "$log" | tail -n1 | sed -E 's/=+//g; s/^ +| +$//g')
  if [ -z "$summary" ]; then summary="no test result line"; [ "$rc" -eq 0 ] && rc=5; fi
  local fuzz
  fuzz=$(grep -E "^fuzz: [0-9]+ requests" "$log" | tail -n1)
  [ -n "$fuzz" ] && summary="${summary}; ${fuzz}"
  if [ "$rc" -ne 0 ]; then overall=1; fi
  names+=("$name"); results+=("rc=${rc} ${summary} (${wall} s, CPU $((user + sys)) s)")
}

lane sqlite     SIECES_TEST_DB=sqlite     $PYTEST -m "not e2e and not fuzz" -p no:cacheprovider -q -n "$WORKERS"
lane postgresql SIECES_TEST_DB=postgresql $PYTEST -m "not e2e and not fuzz" -p no:cacheprovider -q -n "$WORKERS"
# the fuzzing lane runs once, on the production database (PostgreSQL refuses what SQLite keeps,
# e.g. NUL in text): about 11,000 requests, 0 answers of 500 (tests/fuzz)
lane fuzz       SIECES_TEST_DB=postgresql $PYTEST -m fuzz -p no:cacheprovider -q -n "$WORKERS" tests/fuzz
lane browser    SIECES_TEST_DB=sqlite     $PYTEST -m e2e -p no:cacheprovider -q -n "$BROWSER_WORKERS" tests/e2e

echo ""
echo "=== lane summary ($(( $(date +%s) - start_all )) s) ==="
for i in "${!names[@]}"; do
  printf '  %-11s %s\n' "${names[$i]}" "${results[$i]}"
done
exit $overall
