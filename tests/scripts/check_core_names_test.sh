#!/usr/bin/env bash
# Shows that scripts/check-core-names.sh can fail: a scratch copy of the repository's core/,
# pipelines/, models/ and sql/analysis/ passes, and a kind name or a subject folder name planted
# in a core/ file is reported with its file and line and fails the check; a kind declared only
# as a TOML file (the declarative form) is found too.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
check=$repo/scripts/check-core-names.sh
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/sql"
cp -r "$repo/core" "$repo/pipelines" "$tree/"
[[ -d $repo/models ]] && cp -r "$repo/models" "$tree/"
cp -r "$repo/sql/analysis" "$tree/sql/"
"$check" "$tree" >/dev/null || { echo "the scratch copy failed the check" >&2; exit 1; }

# A kind of the repository (from its declaration, C++ or TOML) and a subject folder, each in a
# core/ file.
kind=$({ grep -rhoE '\.name = "[a-z][a-z0-9_]*"' --include='*.cpp' "$repo/pipelines" || true; } |
  sed -E 's/.*"([a-z0-9_]+)"/\1/' | awk 'NR == 1')
if [[ -z $kind ]]; then
  kind=$(find "$repo/pipelines" -name '*.toml' -type f -exec awk '/^\[/ { exit }
    /^name *= *"/ { sub(/^[^"]*"/, ""); sub(/".*/, ""); print; exit }' {} \; | awk 'NR == 1')
fi
subject=$({ grep -l '^\[section\]' "$repo"/sql/analysis/*/report.toml || true; } | awk 'NR == 1')
subject=$(basename "$(dirname "$subject")")
[[ -n $kind && -n $subject ]] || { echo "no kind or subject found in the repository" >&2; exit 1; }
for planted in "const char* kKind = \"$kind\";" "// draws the $subject charts"; do
  echo "$planted" >"$tree/core/planted.hpp"
  if out=$("$check" "$tree" 2>&1); then
    echo "not reported: $planted" >&2
    exit 1
  fi
  grep -q 'core/planted.hpp:1:' <<<"$out" || { echo "no file:line for: $planted" >&2; echo "$out" >&2; exit 1; }
done

# A kind that exists only as a declaration file is a name core/ must not use either.
mkdir -p "$tree/pipelines/partners"
printf 'name = "partner_orders"\ntable = "partner_orders"\n\n[[columns]]\nname = "order_id"\n' \
  >"$tree/pipelines/partners/partner_orders.toml"
echo '// order_id is a column name, not a kind: allowed' >"$tree/core/planted.hpp"
"$check" "$tree" >/dev/null || { echo "a column name of a kind file was taken for a kind" >&2; exit 1; }
echo 'auto table = "partner_orders";' >"$tree/core/planted.hpp"
if "$check" "$tree" >/dev/null 2>&1; then
  echo "a kind declared in TOML was not reported" >&2
  exit 1
fi
echo "check_core_names_test: planted kind \"$kind\", subject \"$subject\" and a TOML kind reported; the clean copy passed"
