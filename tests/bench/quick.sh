#!/bin/bash
# bench_quick_model_is_deterministic: the timing model runs the real client (bo_otac) and the
# stock client model against the real device integration (bo_ota_att, shipped defaults) and the
# reference-behaviour model on a 32 KiB image for every scenario; every main run must complete,
# the Markdown report must have one row per scenario, the JSON report every figure, and two
# runs must give byte-identical reports. No assertion on any time value (see
# bench_full_meets_targets for those).
set -euo pipefail
EXE="$BO_BIN/bleota-bench"
OUT="$BO_TMP/bench"
mkdir -p "$OUT"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
"$EXE" --quick --out "$OUT/a.md" --json "$OUT/a.json"
"$EXE" --quick --out "$OUT/b.md" --json "$OUT/b.json"
cmp "$OUT/a.md" "$OUT/b.md" || fail "two runs gave different Markdown reports"
cmp "$OUT/a.json" "$OUT/b.json" || fail "two runs gave different JSON reports"
for s in fast phone legacy; do
    [ "$(grep -cE "^$s \|" "$OUT/a.md")" = 1 ] || fail "expected exactly one row for $s"
    row=$(grep -E "^$s \|" "$OUT/a.md")
    if grep -q failed <<<"$row"; then
        fail "a main run failed: $row"
    fi
    # ratios of the row: bleota's, then the reference behaviour's
    [ "$(grep -oE '[0-9]+\.[0-9]{2}x' <<<"$row" | wc -l)" = 2 ] || fail "two ratios in: $row"
    # the JSON scenario object has every figure, numbers (null = a failed run)
    obj=$(sed -n "/^    \"$s\": {/,/^    }/p" "$OUT/a.json")
    for k in link_limit_s flash_floor_s bleota_s bleota_2x2_s stock_s reference_s idle_flash_s; do
        grep -qE "^      \"$k\": [0-9]+\.[0-9]{3},?$" <<<"$obj" || fail "$s: $k missing or not a number"
    done
done
# The device object: the describe pairs and the flash model.
for k in '"describe": "timeout_ms=' '"single_bank": true' '"erase_us": ' '"prog_us": ' \
    '"page": ' '"unit": ' '"rx_bufs": 8' '"cpu_hz": ' '"image_format": "signed-digest"' \
    '"window": 0' '"shipped": true' '"integration": "bo_ota_att"'; do
    grep -qF "$k" "$OUT/a.json" || fail "device: $k missing"
done
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT/a.json" || fail "invalid JSON"
fi
# The labelled variants: the other flash model, two buffer counts, Microchip's pair.
grep -q '^dual-panel flash' "$OUT/a.md" || fail "no dual-panel row"
[ "$(grep -cE '^controller with [0-9]+ receive buffers' "$OUT/a.md")" = 2 ] || fail "rx rows"
grep -q '^stock client on the reference server' "$OUT/a.md" || fail "no stock/reference row"
# --print-device-config prints the shipped configuration, one line.
[ "$("$EXE" --print-device-config | wc -l)" = 1 ] || fail "--print-device-config: one line"
"$EXE" --print-device-config | grep -q '^timeout_ms=[0-9]* .*window=0 ' || fail "describe line"
# A custom link and device are accepted, labelled, and change the model (same structure).
"$EXE" --quick --scenario phone --phy 2 --ll 27 --mtu 23 --interval-us 50000 --per-event 4 \
    --rx-bufs 2 --erase-us 40000 --prog-us 30 --dual-panel --txq 20 --out "$OUT/c.md" \
    --json "$OUT/c.json"
grep -qE '^phone \| 2M \| 27 \| 23 \| 50\.0 \| 4 \|' "$OUT/c.md" || fail "custom link row"
grep -q 'dual panel: flash runs beside the CPU' "$OUT/c.md" || fail "dual panel not labelled"
grep -q 'NOT the shipped configuration' "$OUT/c.md" || fail "custom device not labelled"
grep -q '"single_bank": false' "$OUT/c.json" || fail "dual panel not in the JSON"
grep -q '^single-bank flash' "$OUT/c.md" || fail "the other flash row"
# Instruction counts from a QEMU-style file are taken (and named in the report).
printf '# counts\necdsa_p256_verify 12345678\nunknown_name 5\n' > "$OUT/insns.txt"
"$EXE" --quick --scenario legacy --insns "$OUT/insns.txt" --out "$OUT/e.md"
grep -q '12.35 M insn (1 value(s) from' "$OUT/e.md" || fail "insns file not taken"
# Both image formats authenticate on the real stack (signed-digest mode is the default).
"$EXE" --quick --scenario phone --fw-auth ecdsa --out "$OUT/f.md"
grep -q 'signed with ECDSA P-256 (2/2' "$OUT/f.md" || fail "2/2 image"
grep -q 'signed-digest mode, 2/1' "$OUT/a.md" || fail "signed-digest image"
# Bad figures are refused.
if "$EXE" --quick --ll 300 --out "$OUT/d.md" 2>/dev/null; then
    fail "LL payload 300 accepted"
fi
echo ok
