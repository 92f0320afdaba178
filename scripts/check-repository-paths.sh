#!/usr/bin/env bash
# Fails when a tracked file names a path outside the repository: the folder beside it that one
# machine happens to have (`../shared`), a build that reaches above the source root, or an
# absolute path of somebody's machine (a work folder, a home folder). A user's clone has
# none of these, so whatever needs them breaks there. Run by ctest (repository_paths_check).
#
# Usage: scripts/check-repository-paths.sh [REPOSITORY]   (default: the repository of this script)
set -euo pipefail
repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$repo"

# The patterns are assembled from pieces so that this file does not match itself.
dots='\.\.'
patterns=(
  "${dots}/shared([/\"' ]|$)"
  "PROJECT_SOURCE_DIR\}/${dots}"
  "(^|[^A-Za-z0-9_.~-])/(work|root)/"
  "(^|[^A-Za-z0-9_.~-])/home/[a-z]"
  "(^|[^A-Za-z0-9_.~-])/Users/[A-Za-z]"
)
regex=$(IFS='|'; echo "${patterns[*]}")

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard)
else
  mapfile -d '' files < <(find . -path ./.git -prune -o -path './build*' -prune -o -type f -printf '%P\0')
fi

hits=0
for file in "${files[@]}"; do
  [[ -f $file ]] || continue
  case $file in
    samples/*.csv | samples/*/*.csv | samples/*/*/*.csv | tests/data/*) continue ;; # data, not paths
  esac
  if found=$(grep -nIE "$regex" -- "$file"); then
    while IFS= read -r line; do
      echo "check-repository-paths: $file:$line" >&2
    done <<<"$found"
    hits=$((hits + 1))
  fi
done
if ((hits > 0)); then
  echo "check-repository-paths: $hits file(s) name a path outside the repository; use the" \
    "repository's own folders (samples/, tests/data/) or paths relative to it" >&2
  exit 1
fi
echo "check-repository-paths: ${#files[@]} files, none names a path outside the repository"
