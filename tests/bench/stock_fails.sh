#!/bin/bash
# bench_stock_client_model_can_fail: the stock (Microchip-like) client model loses the writes
# its 12-packet TX queue refuses, as Microchip's client does, so it must FAIL against a server
# whose window is larger than that queue, and the model must end (a failed run, not a hang):
# - bleota's device with a fixed 10240-byte window (42 writes per window at MTU 247);
# - the reference server's 1024-byte window at MTU 23 (52 writes per window), the labelled
#   "stock client on the reference server" row of the legacy scenario.
# With the shipped device (automatic window) the same client passes everywhere.
set -euo pipefail
EXE="$BO_BIN/bleota-bench"
OUT="$BO_TMP/bench-stock"
mkdir -p "$OUT"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# 1. a fixed window larger than the queue: the stock run fails, bleota's own client copes
rc=0
timeout 120 "$EXE" --quick --scenario fast --window 10240 --out "$OUT/w.md" --json "$OUT/w.json" || rc=$?
[ "$rc" = 1 ] || fail "bleota-bench should report a failed run (exit 1), got $rc"
row=$(grep -E '^fast \|' "$OUT/w.md")
grep -qE 'failed: [0-9]+ writes lost \(TX queue of 12 full' <<<"$row" || fail "stock not failed: $row"
grep -qE '"stock_s": null' "$OUT/w.json" || fail "stock_s should be null"
grep -qE '"stock": "[0-9]+ writes lost' "$OUT/w.json" || fail "no stock failure in the JSON"
grep -qE '"bleota_s": [0-9]' "$OUT/w.json" || fail "bleota's client should pass"
# a smaller queue makes it worse, a queue as large as the window makes it pass
rc=0
"$EXE" --quick --scenario fast --window 10240 --txq 48 --out "$OUT/w48.md" --json "$OUT/w48.json" || rc=$?
[ "$rc" = 0 ] || fail "a 48-packet queue holds a 42-write window: should pass (exit $rc)"
grep -qE '"stock_s": [0-9]' "$OUT/w48.json" || fail "stock_s with --txq 48"
# 2. Microchip's pair at MTU 23: the reference server's 1024-byte window breaks the stock client
"$EXE" --quick --scenario legacy --out "$OUT/l.md" --json "$OUT/l.json"
grep -qE '"stock_on_reference_s": null' "$OUT/l.json" || fail "stock on reference at MTU 23 should fail"
grep -qE '"stock_on_reference": "[0-9]+ writes lost' "$OUT/l.json" || fail "no lost writes reported"
# 3. the shipped device: the stock client passes on every scenario
"$EXE" --quick --out "$OUT/s.md" --json "$OUT/s.json"
[ "$(grep -cE '"stock_s": [0-9]+\.[0-9]{3},' "$OUT/s.json")" = 3 ] || fail "stock failed on the shipped device"
echo ok
