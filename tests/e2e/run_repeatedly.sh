#!/usr/bin/env bash
# Run the browser suite N times in a row (default 10) and stop at the first red run: a test
# that passes only sometimes is a failing test. Prints one line per run with its time.
#     tests/e2e/run_repeatedly.sh 10
set -uo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
for i in $(seq "$runs"); do
  start=$(date +%s)
  if ! REQUIRE_BROWSER=1 .venv/bin/python -m pytest tests/e2e -q -p no:cacheprovider > "/tmp/e2e-run-$i.log" 2>&1; then
    echo "run $i of $runs: FAILED after $(( $(date +%s) - start )) s (log: /tmp/e2e-run-$i.log)"
    tail -n 20 "/tmp/e2e-run-$i.log"
    exit 1
  fi
  echo "run $i of $runs: $(tail -n 1 "/tmp/e2e-run-$i.log") ($(( $(date +%s) - start )) s)"
done
