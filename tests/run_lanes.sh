#!/usr/bin/env bash
# Run every test lane, print a summary, fail if any lane failed or ran no test.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
mkdir -p test-artifacts
declare -a names results
overall=0
start_all=$(date +%s)

lane() {
  local name="$1"; shift
  local log="test-artifacts/lane-${name}.log"
  local t0=$(date +%s)
  echo "=== lane: ${name} ==="
  env "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local t1=$(date +%s)
  local summary
  summary=$(grep -E "^(=+ )?[0-9]+ (passed|failed|error)" "$log" | tail -n1 | sed -E 's/=+//g; s/^ +| +$//g')
  [ -z "$summary" ] && summary="no test result line"
  if [ "$rc" -ne 0 ]; then overall=1; fi
  names+=("$name"); results+=("rc=${rc} ${summary} ($((t1 - t0)) s)")
}

lane sqlite     SIECES_TEST_DB=sqlite     $PYTEST -m "not e2e" -p no:cacheprovider -q
lane postgresql SIECES_TEST_DB=postgresql $PYTEST -m "not e2e" -p no:cacheprovider -q
lane browser    SIECES_TEST_DB=sqlite     $PYTEST -m e2e -p no:cacheprovider -q tests/e2e

echo ""
echo "=== lane summary ($(( $(date +%s) - start_all )) s) ==="
for i in "${!names[@]}"; do
  printf '  %-11s %s\n' "${names[$i]}" "${results[$i]}"
done
exit $overall
