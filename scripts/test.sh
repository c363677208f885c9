#!/bin/sh
# The whole suite: Cortex-M4 build of the portable core (warning-free, size report), host build
# with ASan+UBSan, then every ctest test (unit, integration, powerloss, fuzz smoke, qemu, and
# docs: the figures of README.md and docs/ against the size, bench and power-loss reports).
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

echo "== Cortex-M4 build"
sh scripts/fetch-mbedtls.sh build/_deps
sh scripts/fetch-bearssl.sh build/_deps
cmake --preset cortex-m4 -DBO_MBEDTLS_SRC="$PWD/build/_deps/mbedtls" \
    -DBO_BEARSSL_SRC="$PWD/build/_deps/bearssl" >/dev/null
cmake --build --preset cortex-m4 -j"$JOBS"
# `size`: the libraries and the firmware images; also writes build/cortex-m4/reports/ (docs check)
cmake --build --preset cortex-m4 --target size

# Ports with their own cross build (ports/<name>/tools/build.sh, e.g. `make pic32cxbz2`); their
# host tests find the result under build/<name> (BO_PORT_BUILD_ROOT).
for b in ports/*/tools/build.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$(dirname "$(dirname "$b")")") build"
    sh "$b"
done

echo "== host build (ASan+UBSan)"
cmake --preset host -DBO_M4_BUILD_DIR="$PWD/build/cortex-m4" -DBO_PORT_BUILD_ROOT="$PWD/build" >/dev/null
# Microchip's reference files: fetched into build/fixtures when neither BO_FIXTURES_DIR nor
# ../shared/fixtures has them (never fails here: ctest fixtures_available reports what is missing)
sh scripts/fetch-fixtures.sh --auto build/host
cmake --build --preset host -j"$JOBS"

echo "== tests"
# No rerun: a test that fails once fails the suite (a flaky test is a bug to fix, not to retry).
# The preset runs ctest in build/host, so its Testing/ output stays out of the source tree.
ctest --preset host -j"$JOBS" ${CTEST_ARGS:-}
