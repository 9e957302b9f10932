# padlock: the commands users and CI call. The build itself is CMake (CMakeLists.txt).
#   make          build the library and the padlock command (warnings are errors)
#   make test     install dependencies, build, run the whole suite (incl. ASan/UBSan, fuzzing)
#   make fuzz     long fuzzing runs (FUZZ_SECONDS per target, default 600)
#   make install  install into PREFIX (default /usr/local)
PREFIX ?= /usr/local
BUILD_DIR ?= build
FUZZ_SECONDS ?= 600
JOBS ?= $(shell nproc)

.PHONY: all test fuzz install clean

all:
	cmake -S . -B $(BUILD_DIR) -DPADLOCK_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)

test:
	scripts/test.sh

fuzz:
	scripts/deps.sh
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPADLOCK_SANITIZE=ON -DPADLOCK_FUZZ=ON \
	  -DPADLOCK_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz -j$(JOBS)
	ctest --test-dir build-fuzz -L fuzz --output-on-failure

install: all
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
