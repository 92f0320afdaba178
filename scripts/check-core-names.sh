#!/usr/bin/env bash
# Fails when core/ names a subject or a kind (the design's rule 6: core/ knows no kind, so a new
# feed is declarations, never a change to core/). The names come from the repository itself:
#   - subjects: the folders of pipelines/ that declare kinds (a *.toml kind file or a
#     *_pipeline.cpp) and the folders of sql/analysis/ whose report.toml has a [section];
#   - kinds: the top-level `name = "..."` of every kind file (pipelines/**/*.toml,
#     models/**/*.toml, before the first [table]) and every `.name = "..."` of the pipeline
#     declarations in pipelines/**/*.cpp.
# Each name is searched as a whole word (letters, digits and _ delimit it) in every file under
# core/. Run by ctest (core_names_check); tests/scripts/check_core_names_test.sh shows it fails.
#
# Usage: scripts/check-core-names.sh [REPOSITORY]   (default: the repository of this script)
set -euo pipefail
repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$repo"

# Files of core/ that may still name a kind until the branch that owns them rewrites them, each
# with the reason; empty when core/ is clean.
allowlist=(
)

# Kind names, each with the file that declares it (its folder under pipelines/ is a subject).
declared=$(
  find pipelines models -name '*.toml' -type f 2>/dev/null | sort | while IFS= read -r file; do
    awk -v file="$file" '/^[[:space:]]*\[/ { exit }
      match($0, /^[[:space:]]*name[[:space:]]*=[[:space:]]*"[a-z][a-z0-9_]*"/) {
        line = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", line); sub(/"$/, "", line)
        print file " " line }' "$file"
  done
  # No C++ declaration at all (every kind a TOML file) is fine: grep's status 1 is no error.
  { grep -rHoE '\.name = "[a-z][a-z0-9_]*"' --include='*.cpp' pipelines 2>/dev/null || true; } |
    sed -E 's/^([^:]+):.*"([a-z0-9_]+)"$/\1 \2/'
)
names=()
while read -r file name; do
  [[ -n $name ]] || continue
  names+=("$name")
  case $file in
    pipelines/*/*) subject=${file#pipelines/}; names+=("${subject%%/*}") ;;
  esac
done <<<"$declared"
for file in sql/analysis/*/report.toml; do
  [[ -f $file ]] || continue
  if grep -q '^\[section\]' "$file"; then
    names+=("$(basename "$(dirname "$file")")")
  fi
done

mapfile -t names < <(printf '%s\n' "${names[@]}" | sort -u)
if ((${#names[@]} == 0)); then
  echo "check-core-names: no subject or kind found under pipelines/ and sql/analysis/" >&2
  exit 1
fi

patterns=()
for name in "${names[@]}"; do
  patterns+=(-e "$name")
done
hits=$(grep -rnwF "${patterns[@]}" core || true)
for file in "${allowlist[@]}"; do
  hits=$(grep -v "^$file:" <<<"$hits" || true)
done
if [[ -n $hits ]]; then
  while IFS= read -r line; do
    echo "check-core-names: $line" >&2
  done <<<"$hits"
  echo "check-core-names: core/ names a subject or kind (of: ${names[*]}); move it to a" \
    "declaration (pipelines/, sql/analysis/<subject>/report.toml) or word it generically" >&2
  exit 1
fi
echo "check-core-names: ${#names[@]} subject and kind names, none in core/"
