#!/usr/bin/env bash
# Installs every Debian package padlock's build, tests and benchmarks need. Idempotent: when
# all packages are present it does nothing (no network, no root needed).
set -euo pipefail

packages=(
  # build
  make gcc cmake pkg-config libssl-dev
  # unit tests, vector tests (JSON), sanitizer and fuzzing builds
  libcmocka-dev libjson-c-dev clang libclang-rt-14-dev
  # peers and tools used by the tests
  openssl gnutls-bin curl python3 ca-certificates
  # a browser for padlock server --www (tests/interop/cli_server/chromium.sh) and its NSS tools
  chromium libnss3-tools
  # benchmarks (bench/, make bench): the peer TLS libraries and the chart
  libgnutls28-dev libwolfssl-dev android-libboringssl-dev gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps.sh: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
