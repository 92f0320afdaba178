#!/usr/bin/env bash
# Shows that scripts/check-test-names.sh can fail: the repository's tests pass it, and a test
# case named with a ';' planted in a scratch folder is reported with its file and line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
check=$repo/scripts/check-test-names.sh
"$check" "$repo/tests" >/dev/null || { echo "the repository's tests fail the check" >&2; exit 1; }
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
printf '#include <doctest/doctest.h>\nTEST_CASE("fine, with a comma") {}\n' >"$tree/good_test.cpp"
"$check" "$tree" >/dev/null || { echo "a name with a comma was reported" >&2; exit 1; }
printf '#include <doctest/doctest.h>\n\nTEST_CASE("one thing; another") {}\n' >"$tree/planted_test.cpp"
if out=$("$check" "$tree" 2>&1); then
  echo "a name with a ';' was not reported" >&2
  exit 1
fi
grep -q 'planted_test.cpp:3:' <<<"$out" || { echo "no file:line in: $out" >&2; exit 1; }
