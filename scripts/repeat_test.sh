#!/usr/bin/env bash
# Run one test N times in a row (default 50) and stop at the first failure.
# Usage: scripts/repeat_test.sh tests/test_x.py::test_name [N]
set -euo pipefail
test_id=$1
runs=${2:-50}
cd "$(dirname "$0")/.."
for i in $(seq 1 "$runs"); do
    if ! PYTHONPATH=$PWD "${PYTHON:-/work/venv/bin/python}" -m pytest -q -p no:cacheprovider "$test_id" >/dev/null; then
        echo "FAILED on run $i of $runs: $test_id"
        exit 1
    fi
done
echo "passed $runs runs in a row: $test_id"
