#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds examples/https_get.c against the installed
# headers and shared library through pkg-config, as an application would: proves that
# `make install PREFIX=...` gives a usable library, headers and padlock.pc.
set -euo pipefail
trap 'echo "install test failed at line $LINENO: $BASH_COMMAND" >&2' ERR
build_dir=$1
source_dir=$2
prefix=$(mktemp -d "$build_dir/install-test.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
pc_dir=$(dirname "$(find "$prefix" -name padlock.pc)")
export PKG_CONFIG_PATH=$pc_dir
test "$(pkg-config --variable=prefix padlock | xargs realpath)" = "$(realpath "$prefix")"

cc -std=c11 -Wall -Wextra -Werror "$source_dir/examples/https_get.c" -o "$prefix/https_get" \
  $(pkg-config --cflags --libs padlock)
# The program must load the installed shared library (not the build tree's).
libdir=$(realpath "$(pkg-config --variable=libdir padlock)")
# (ldd's output is captured first: `ldd | grep -q` under pipefail fails whenever grep exits
# before ldd has finished writing.)
linked=$(LD_LIBRARY_PATH=$libdir ldd "$prefix/https_get")
grep -q "$libdir/libpadlock.so" <<<"$linked"
# Bad usage exits 2 with a usage line: the program runs against the installed library.
set +e
out=$(LD_LIBRARY_PATH=$libdir "$prefix/https_get" 2>&1)
status=$?
set -e
test "$status" -eq 2
grep -qi usage <<<"$out"
# The padlock command is installed and runs.
"$prefix/bin/padlock" --help >/dev/null
echo "install into $prefix: library, headers, padlock.pc and padlock command work"
