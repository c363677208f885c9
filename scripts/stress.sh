#!/bin/sh
# Hunts flaky tests: runs ctest with the given arguments while LOAD busy loops (default: one per
# CPU) compete for the CPUs, so timing races in the process-driving tests show up. Never part of
# `make test`; a test that fails here is a bug to fix (the suite does not rerun failures).
#   ROUNDS=5 sh scripts/stress.sh --test-dir build/host -L integration -j3
#   LOAD=4 ROUNDS=50 sh scripts/stress.sh --test-dir build/host -R ota_ble_reject -j4
# It runs the selection ROUNDS times (default 1) and stops at the first round that fails,
# so a flaky test shows up; it never retries a failed test.
# Integration tests keep their temp dirs (device logs) with BO_KEEP_TMP=1 in the environment.
set -eu
cd "$(dirname "$0")/.."
case " $* " in
*" --test-dir "* | *" --test-dir="* | *" --preset "* | *" --preset="*) ;;
*) set -- --test-dir build/host "$@" ;; # never ctest in the source root (it writes Testing/ there)
esac
LOAD=${LOAD:-$(nproc 2>/dev/null || echo 2)}
ROUNDS=${ROUNDS:-1}
pids=""
stop_load() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
}
trap stop_load EXIT
trap 'exit 130' INT TERM
i=0
while [ "$i" -lt "$LOAD" ]; do
    (while :; do :; done) &
    pids="$pids $!"
    i=$((i + 1))
done
echo "stress: $LOAD busy loop(s), $ROUNDS round(s) of ctest $*" >&2
r=1
while [ "$r" -le "$ROUNDS" ]; do
    if ! ctest --output-on-failure "$@"; then
        echo "stress: round $r of $ROUNDS failed" >&2
        exit 1
    fi
    r=$((r + 1))
done
echo "stress: $ROUNDS round(s) passed" >&2
