# padlock: the commands users and CI call. The build itself is CMake (CMakeLists.txt).
#   make run      build padlock and show its main job end to end (scripts/run.sh): a throwaway
#                 CA, a certificate for localhost, padlock server, padlock client verifying it
#   make          build the library and the padlock command (warnings are errors)
#   make test     install dependencies, build, run the whole suite (incl. ASan/UBSan, fuzzing)
#   make fuzz     long fuzzing runs (FUZZ_SECONDS per target, default 600), also of the targets
#                 of the fuzz build without record protection (build-fuzz-unsealed)
#   make bench    side-by-side benchmarks with other TLS libraries: bench/RESULTS.md and
#                 bench/ratios.png (BENCH_ARGS passes options to bench/run.py, e.g. --rounds 15)
#   make install  install into PREFIX (default /usr/local)
PREFIX ?= /usr/local
BUILD_DIR ?= build
FUZZ_SECONDS ?= 600
BENCH_ARGS ?=
JOBS ?= $(shell nproc)

.PHONY: all run test fuzz bench install clean

all:
	cmake -S . -B $(BUILD_DIR) -DPADLOCK_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)

run:
	scripts/deps.sh
	$(MAKE) all
	scripts/run.sh $(BUILD_DIR)/padlock

test:
	scripts/test.sh

fuzz:
	scripts/deps.sh
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON \
	  -DPADLOCK_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz -j$(JOBS)
	ctest --test-dir build-fuzz -L fuzz --output-on-failure
	cmake -S . -B build-fuzz-unsealed -DCMAKE_C_COMPILER=clang -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON \
	  -DPADLOCK_FUZZ_NO_RECORD_PROTECTION=ON -DPADLOCK_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz-unsealed -j$(JOBS)
	ctest --test-dir build-fuzz-unsealed -L fuzz --output-on-failure

bench:
	scripts/deps.sh
	cmake -S . -B $(BUILD_DIR) -DPADLOCK_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target bench_programs
	python3 bench/run.py --bin-dir $(BUILD_DIR)/bench $(BENCH_ARGS)

install: all
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz build-unsealed build-fuzz-unsealed
