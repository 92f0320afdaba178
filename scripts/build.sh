#!/usr/bin/env bash
# Configures and builds DataProcessor into build/ (BUILD_DIR overrides). Extra args go to cmake.
#
# The default is an optimised build (-O2, as Debian builds) without debug information: on this
# project's Asio/Beast-heavy files -g more than doubled the compile time (http_post.cpp: 70 s vs
# 31 s, then 42 s vs 26 s, measured on the 2-core CI-class machine), and CI builds everything
# from scratch. BUILD_TYPE=RelWithDebInfo gives the same code with debug information.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" "$@" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}"
