#!/usr/bin/env bash
# `make test`: install dependencies, build warning-free with gcc (the main build) and with
# clang + ASan + UBSan + libFuzzer (the sanitizer build), then run one CTest session in the
# main build. Its "sanitizers" test runs the unit, vector and fuzz suites of the sanitizer
# build, so the last thing printed is a single summary covering everything.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
scripts/deps.sh

cmake -S . -B build -DCMAKE_C_COMPILER=gcc -DPADLOCK_WERROR=ON \
  -DPADLOCK_SANITIZER_BUILD_DIR="$PWD/build-asan"
cmake --build build -j"$jobs"

cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DPADLOCK_WERROR=ON -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON
cmake --build build-asan -j"$jobs"

ctest --test-dir build --output-on-failure -j"$jobs"
