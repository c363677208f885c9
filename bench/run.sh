#!/bin/sh
# make bench: runs the OTA timing model for the three scenarios and writes bench/report.md and
# bench/report.json (the same figures). Runs it twice and fails if the two runs differ (the
# model uses virtual time only), then checks report.json against the targets
# (tests/bench/targets.sh) and fails if one is not met.
# The reports are committed and quoted by README.md and docs/ (docs/figures.md): when a run
# changes them it says so (refresh the docs with `make figures`); ctest bench_full_meets_targets
# fails while the committed ones differ from a fresh run.
# Extra arguments go to bleota-bench (see docs/performance.md), e.g. sh bench/run.sh --rx-bufs 4;
# the targets are then printed but do not decide the exit status (they are defined for the
# defaults).
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
trap 'rm -f "$TMP.md" "$TMP.json" "$TMP.old.md" "$TMP.old.json"' EXIT
rc=0
cp bench/report.md "$TMP.old.md" 2>/dev/null || : > "$TMP.old.md"
cp bench/report.json "$TMP.old.json" 2>/dev/null || : > "$TMP.old.json"
# shellcheck disable=SC2086
"$EXE" $INSNS "$@" --out bench/report.md --json bench/report.json || rc=$?
# shellcheck disable=SC2086
"$EXE" $INSNS "$@" --out "$TMP.md" --json "$TMP.json" || true
if ! cmp -s bench/report.md "$TMP.md" || ! cmp -s bench/report.json "$TMP.json"; then
    echo "bench: two runs gave different reports" >&2
    exit 1
fi
cat bench/report.md
echo
if [ $# -gt 0 ]; then
    echo "bench: bench/report.md and bench/report.json now hold this custom run; \`make bench\` restores the committed figures"
    echo
elif ! cmp -s bench/report.md "$TMP.old.md" || ! cmp -s bench/report.json "$TMP.old.json"; then
    echo "bench: bench/report.md and bench/report.json changed: commit them; \`make figures\` refreshes the figures README.md and docs/ quote"
    echo
fi
echo "targets (bench/report.json):"
if ! sh tests/bench/targets.sh bench/report.json && [ $# -eq 0 ]; then
    rc=1
fi
exit $rc
