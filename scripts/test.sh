#!/usr/bin/env bash
# `make test`: install dependencies, build warning-free with gcc (the main build) and with
# clang + ASan + UBSan + libFuzzer (the sanitizer build) and the fuzz build without record
# protection (build-unsealed: its own library, the unsealed role targets only), then run one
# CTest session in the main build. Its "sanitizers" test runs the unit, vector and fuzz suites
# of the sanitizer build and its "fuzz_unsealed" test the fuzz suite of build-unsealed, so the
# last thing printed is a single summary covering everything.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
scripts/deps.sh

cmake -S . -B build -DCMAKE_C_COMPILER=gcc -DPADLOCK_WERROR=ON \
  -DPADLOCK_SANITIZER_BUILD_DIR="$PWD/build-asan" -DPADLOCK_UNSEALED_BUILD_DIR="$PWD/build-unsealed"
cmake --build build -j"$jobs"

cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DPADLOCK_WERROR=ON -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON
cmake --build build-asan -j"$jobs"

cmake -S . -B build-unsealed -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DPADLOCK_WERROR=ON -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON -DPADLOCK_FUZZ_NO_RECORD_PROTECTION=ON
cmake --build build-unsealed -j"$jobs"

ctest --test-dir build --output-on-failure -j"$jobs"
