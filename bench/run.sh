#!/bin/sh
# make bench: runs the OTA timing model for the three scenarios and writes bench/report.md.
# Runs it twice and fails if the two reports differ (the model uses virtual time only).
# Extra arguments go to bleota-bench (see docs/performance.md), e.g. sh bench/run.sh --rx-bufs 4
set -eu
cd "$(dirname "$0")/.."
if [ -z "${BO_BIN:-}" ]; then
    # make bench: build the model next to the tools (host-release preset, build/bin/)
    cmake --preset host-release >/dev/null
    cmake --build --preset host-release -j"${JOBS:-2}" --target bleota-bench >/dev/null
fi
BIN="${BO_BIN:-build/bin}"
EXE="$BIN/bleota-bench"
if [ ! -x "$EXE" ]; then
    echo "bench: $EXE not built" >&2
    exit 1
fi
INSNS=""
if [ -f bench/qemu-insns.txt ]; then
    INSNS="--insns bench/qemu-insns.txt" # measured by the Cortex-M4/QEMU benchmark
fi
TMP="${TMPDIR:-/tmp}/bleota-bench.$$"
trap 'rm -f "$TMP"' EXIT
rc=0
# shellcheck disable=SC2086
"$EXE" $INSNS "$@" --out bench/report.md || rc=$?
# shellcheck disable=SC2086
"$EXE" $INSNS "$@" --out "$TMP" || true
if ! cmp -s bench/report.md "$TMP"; then
    echo "bench: two runs gave different reports" >&2
    exit 1
fi
cat bench/report.md
exit $rc
