#!/usr/bin/env bash
# Installs the Debian 12 packages DataProcessor builds, runs and tests with. Idempotent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost-dev libpqxx-dev libpq-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  doctest-dev libssl-dev zlib1g-dev nlohmann-json3-dev
  postgresql-15 postgresql-client-15
)
if [[ "${1:-}" == "--test" ]]; then
  # The HTML report is rendered in headless Chromium by the analysis tests; clang-format
  # checks the formatting of every C++ file.
  packages+=(chromium clang-format)
fi
if [[ "${1:-}" == "--test" ]] && ! command -v npm >/dev/null 2>&1; then
  # The test suite fetches the csv-spectrum corpus with npm; a Node.js that is already
  # installed (with its own npm) is used as it is.
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 && -z "${CI:-}" ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages ${missing[*]}; run as root (or with sudo)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# Debian starts a system-wide cluster on install; the service and the tests run their own.
