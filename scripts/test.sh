#!/usr/bin/env bash
# One command from a fresh clone to a green test run: installs the packages, builds with
# -Werror, and runs every suite with ctest against a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
./scripts/build.sh -DDP_WERROR=ON
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"${JOBS:-2}" --timeout 900 "$@"
