#!/bin/bash
# bench_quick_model_is_deterministic: the timing model runs the real client (bo_otac) against
# the real device stack, the reference-behaviour model and the design model on a 32 KiB image
# for every scenario; every run must complete (Complete answered 00), the report must have one
# row per scenario with bleota's ratio first, and two runs must give byte-identical reports.
# No assertion on any time or ratio value.
set -euo pipefail
EXE="$BO_BIN/bleota-bench"
# (a plain "! grep" would not stop the script under set -e)
no_failure() {
    if grep -q failed "$1"; then
        echo "a run failed in $1:" >&2
        grep failed "$1" >&2
        exit 1
    fi
}
OUT="$BO_TMP/bench"
mkdir -p "$OUT"
"$EXE" --quick --out "$OUT/a.md"
"$EXE" --quick --out "$OUT/b.md"
cmp "$OUT/a.md" "$OUT/b.md"
for s in fast phone legacy; do
    row=$(grep -E "^$s \|" "$OUT/a.md")
    if [ "$(grep -cE "^$s \|" "$OUT/a.md")" != 1 ]; then
        echo "expected exactly one row for $s" >&2; exit 1
    fi
    if grep -q failed <<<"$row"; then
        echo "a run failed: $row" >&2; exit 1
    fi
    # the first two ratios of the row: bleota's, then the reference behaviour's
    ratios=$(grep -oE '[0-9]+\.[0-9]{2}x' <<<"$row" | wc -l)
    if [ "$ratios" != 2 ]; then
        echo "expected two ratios in: $row" >&2; exit 1
    fi
done
# The what-if table: three design-model variants, the real stack with the other image format
# and with the window knob, one column per scenario, every run completed.
[ "$(grep -cE '^(firmware digest|one firmware ECDSA|bleota.s stack as it is)' "$OUT/a.md")" = 5 ]
no_failure "$OUT/a.md"
# A custom link and device are accepted and change the model (same structure).
"$EXE" --quick --scenario phone --phy 2 --ll 27 --mtu 23 --interval-us 50000 --per-event 4 \
    --rx-bufs 2 --erase-us 40000 --prog-us 30 --flash-blocking --window 1024 --out "$OUT/c.md"
grep -qE '^phone \| 2M \| 27 \| 23 \| 50\.0 \| 4 \|' "$OUT/c.md"
no_failure "$OUT/c.md"
# Instruction counts from a QEMU-style file are taken (and named in the report).
printf '# counts\necdsa_p256_verify 12345678\nunknown_name 5\n' > "$OUT/insns.txt"
"$EXE" --quick --scenario legacy --insns "$OUT/insns.txt" --out "$OUT/e.md"
grep -q '12.35 M insn (1 value(s) from' "$OUT/e.md"
# Both image formats authenticate on the real stack (signed-digest mode is the default).
"$EXE" --quick --scenario phone --fw-auth ecdsa --out "$OUT/f.md"
grep -q 'signed with ECDSA P-256, 2/2' "$OUT/f.md"
no_failure "$OUT/f.md"
grep -q 'signed-digest mode, 2/1' "$OUT/a.md"
# Bad figures are refused.
if "$EXE" --quick --ll 300 --out "$OUT/d.md" 2>/dev/null; then
    echo "LL payload 300 accepted" >&2; exit 1
fi
echo ok
