#!/bin/sh
# The whole suite: Cortex-M4 build of the portable core (warning-free, size report), host build
# with ASan+UBSan, then every ctest test (unit, integration, powerloss, fuzz smoke, qemu).
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

echo "== Cortex-M4 build"
sh scripts/fetch-mbedtls.sh build/_deps
cmake --preset cortex-m4 -DBO_MBEDTLS_SRC="$PWD/build/_deps/mbedtls" >/dev/null
cmake --build --preset cortex-m4 -j"$JOBS"
cmake --build --preset cortex-m4 --target size-report

echo "== host build (ASan+UBSan)"
cmake --preset host -DBO_M4_BUILD_DIR="$PWD/build/cortex-m4" >/dev/null
cmake --build --preset host -j"$JOBS"

echo "== tests"
# Integration and QEMU tests drive real processes over sockets and ptys on a shared 2-core
# machine; a failed test is run once more so a scheduling hiccup does not fail the suite. A real
# fault fails both runs (and ctest prints both).
ctest --preset host -j"$JOBS" --repeat until-pass:2 ${CTEST_ARGS:-}
