#!/bin/sh
# `make qemu-test`: every QEMU test against the Cortex-M4 build (default build/cortex-m4, which
# `make cortex-m4` just built) with the host tools of BO_BIN (default: build/bin, brought up to
# date here with the host-release preset).
set -eu
cd "$(dirname "$0")/../.."
export BO_M4_BUILD_DIR="${BO_M4_BUILD_DIR:-$PWD/build/cortex-m4}"
export BO_TMP="${BO_TMP:-$PWD/build/qemu-test}"
if [ -z "${BO_BIN:-}" ]; then
    echo "== host tools (image signing, update and serial clients)"
    cmake --preset host-release >/dev/null
    cmake --build --preset host-release -j"$(nproc 2>/dev/null || echo 2)" --target bleota
    export BO_BIN="$PWD/build/bin"
fi
tests=$(sed -n '/^set(BO_QEMU_TESTS/,/^)/p' tests/qemu/tests.cmake | sed '1d;$d')
failed=""
n=0
for t in $tests; do
    n=$((n + 1))
    if bash "tests/qemu/$t.sh"; then :; else failed="$failed $t"; fi
done
if [ -n "$failed" ]; then
    echo "qemu-test: FAILED:$failed" >&2
    exit 1
fi
echo "qemu-test: all $n tests passed"
