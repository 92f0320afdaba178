#!/usr/bin/env bash
# Shows that scripts/check-repository-paths.sh can fail: a tree that is clean passes, and each kind
# of outside path planted in it is reported with its file and line, and fails the check.
set -euo pipefail
check=$(cd "$(dirname "$0")/../.." && pwd)/scripts/check-repository-paths.sh
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/tests" "$tree/samples/x"
echo 'data=$repo/samples' >"$tree/tests/clean.sh"
echo 'a,/'"work"'/b' >"$tree/samples/x/data.csv" # sample data is data, not a path
"$check" "$tree" >/dev/null || { echo "a clean tree failed the check" >&2; exit 1; }

dots=..
planted=(
  "data=\$repo/$dots/shared/data"
  'DP_DATA="${PROJECT_SOURCE_DIR}/'"$dots"'/data"'
  'return "/'"work"'/shared/data";'
  'cd /'"root"'/project'
  'open("/'"home"'/alice/data.csv")'
)
for line in "${planted[@]}"; do
  echo "$line" >"$tree/tests/planted.cpp"
  if out=$("$check" "$tree" 2>&1); then
    echo "not reported: $line" >&2
    exit 1
  fi
  grep -q 'tests/planted.cpp:1:' <<<"$out" || { echo "no file:line for: $line" >&2; echo "$out" >&2; exit 1; }
done
echo "check_repository_paths_test: ${#planted[@]} planted paths reported, the clean tree passed"
