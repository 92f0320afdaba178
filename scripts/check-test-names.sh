#!/usr/bin/env bash
# Fails when a doctest test case's name holds a semicolon. ctest reads the discovered names as
# a CMake list, so such a name became two tests whose filters matched no test case: each
# "passed" having run nothing (15 test cases were never run by ctest before this check).
# Usage: scripts/check-test-names.sh [TESTS_DIR] (default: the repository's tests/).
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/tests}
found=$(grep -rnE '(TEST_CASE|TEST_CASE_FIXTURE|SCENARIO)\((\w+, *)?"[^"]*;' --include='*.cpp' \
  --include='*.hpp' "$dir" || true)
if [[ -n $found ]]; then
  echo "test case names with a ';' (ctest splits them and runs nothing): use ',' instead" >&2
  echo "$found" >&2
  exit 1
fi
