#!/usr/bin/env bash
# One command from a fresh clone to a running service: installs the packages, builds, and runs
# `dataprocessor` in watch mode on its embedded PostgreSQL (no db_string needed). Arguments are
# passed to dataprocessor, e.g. `./scripts/run.sh --status`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/dataprocessor "$@"
