#!/usr/bin/env bash
# make bench (after bench/qemu/run.sh and bench/run.sh): delta patches (docs/delta.md).
# For every pair: `bleota image delta` makes the patch; Debian's bsdiff 4.3 and xdelta3 -9 make
# theirs from the same two firmware parts (the bytes after each 512-byte header), in the same
# run; the Cortex-M4 decoder's cost is measured under QEMU (instructions per image byte, the
# instruction counter of bench/qemu); the timing model (bleota-bench --ota) then sends the whole
# image and the patch to the shipped device on each scenario. Pairs:
#   mchp         Microchip's ble_sensor from two SDK releases (fixtures/mchp/delta/)
#   demo-line    bleota's QEMU demo, a one-line change (demo_a -> demo_b: the build string)
#   demo-lib     the same demo with one library built otherwise (demo_a -> demo_lib: bo_dfu -O2)
# Writes bench/delta-report.md and bench/delta-report.json; fails when a patch is larger than
# 1.25 x bsdiff's (issue 15) or a run fails. Deterministic: same files, same figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
M4=${BO_M4_BUILD_DIR:-$ROOT/build/cortex-m4}
BIN=${BO_BIN:-$ROOT/build/bin}
FX=${BO_FIXTURES:-$(cd "$ROOT/.." && pwd)/shared/fixtures/mchp}
W=$ROOT/build/delta-bench
PLUGIN=$ROOT/build/qemu-bench/libinsncount.so
GUEST=$M4/qemu-guest/qemu_delta_apply.elf
mkdir -p "$W"
need() { [ -e "$1" ] || { echo "bench/delta: $1 missing: $2" >&2; exit 1; }; }
need "$PLUGIN" "run bench/qemu/run.sh first (make bench does)"
need "$GUEST" "build the cortex-m4 configuration first"
need "$M4/apps/demo/demo_lib.elf" "build the cortex-m4 configuration first"
need "$FX/delta/sensor_2023-09.ota.bin" "Microchip's reference files (../shared/fixtures/mchp)"
for t in bsdiff xdelta3 openssl; do
    command -v $t >/dev/null || { echo "bench/delta: $t missing (Debian: apt-get install $t)" >&2; exit 1; }
done

MCHP_KEY=AABBCCDDEEFF00112233445566778899
MCHP_IV=00000000000000000000000000000000
MCHP_PUB=c2818fbb2861478ba2533779d463187c8b4159a95f0b6b944eb957a103fe20bf2bb8142a64b5ae4a8380dde6ee2989dda09ac7da82eb5662905d66c5bc303c84
KEY=bench/qemu/bench-signing.pem
AES_KEY=$(sed -n 's/.*BO_BENCH_AES_KEY_HEX "\(.*\)"/\1/p' bench/qemu/bench_keys.h)
AES_IV=$(sed -n 's/.*BO_BENCH_AES_IV_HEX "\(.*\)"/\1/p' bench/qemu/bench_keys.h)
PUB=$("$BIN/bleota" pubkey "$KEY" --format hex)
APP_BASE=$(sed -n 's/^APP_BASE=\(0x[0-9a-fA-F]*\).*/\1/p' tests/qemu/lib.sh)
[ -n "$APP_BASE" ] || { echo "bench/delta: APP_BASE not found in tests/qemu/lib.sh" >&2; exit 1; }

plain() { tail -c +17 "$1" | openssl enc -d -aes-128-cbc -K "$2" -iv "$3" >"$4"; }
fwpart() { # SIGNED OUT: the firmware part (FW_IMG_LEN bytes after the header)
    local n
    n=$(od -An -tu4 -j32 -N4 "$1" | tr -d ' ')
    tail -c +513 "$1" | head -c "$n" >"$2"
}
sign() { # VERSION ELF OUT
    "$BIN/bleota" image sign --key "$KEY" --version "$1" --base "$APP_BASE" "$2" -o "$3" >/dev/null 2>&1
    "$BIN/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$3" -o "$3.ota" >/dev/null
}

# ---- the pairs: OLD.signed NEW.signed NEW.ota keys ---------------------------------------------
plain "$FX/delta/sensor_2023-09.ota.bin" $MCHP_KEY $MCHP_IV "$W/mchp.old"
plain "$FX/delta/sensor_2023-12.ota.bin" $MCHP_KEY $MCHP_IV "$W/mchp.new"
cp "$FX/delta/sensor_2023-12.ota.bin" "$W/mchp.new.ota"
sign 1.0.0.0 "$M4/apps/demo/demo_a.elf" "$W/demo.v1"
sign 2.0.0.0 "$M4/apps/demo/demo_b.elf" "$W/demo-line.new"
sign 2.0.0.0 "$M4/apps/demo/demo_lib.elf" "$W/demo-lib.new"
cp "$W/demo.v1" "$W/demo-line.old"
cp "$W/demo.v1" "$W/demo-lib.old"
pair_keys() {
    case $1 in
    mchp) echo "$MCHP_KEY $MCHP_IV $MCHP_PUB" ;;
    *) echo "$AES_KEY $AES_IV $PUB" ;;
    esac
}
PAIRS="mchp demo-line demo-lib"

# ---- the decoder on the Cortex-M4: instructions per image byte (Microchip's pair) --------------
"$BIN/bleota" image delta --from "$W/mchp.old" --to "$W/mchp.new" --aes-key $MCHP_KEY \
    --aes-iv $MCHP_IV -o "$W/mchp.patch.ota" >/dev/null 2>&1
plain "$W/mchp.patch.ota" $MCHP_KEY $MCHP_IV "$W/mchp.patch"
start=$(arm-none-eabi-nm "$GUEST" | awk '$3 == "bo_bench_start" { print "0x" $1 }')
stop=$(arm-none-eabi-nm "$GUEST" | awk '$3 == "bo_bench_stop" { print "0x" $1 }')
for run in 1 2; do
    timeout 600 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null \
        -plugin "$PLUGIN,start=$start,stop=$stop,out=$W/decode.$run.txt" \
        -semihosting-config enable=on,target=native -kernel "$GUEST" \
        -device loader,file="$W/mchp.old",addr=0x00200000 \
        -device loader,file="$W/mchp.patch",addr=0x00300000 >"$W/decode.log" 2>&1 </dev/null
done
cmp -s "$W/decode.1.txt" "$W/decode.2.txt" || { echo "bench/delta: two runs counted differently" >&2; exit 1; }
grep -q "delta-apply: sha256 $(sha256sum "$W/mchp.new" | cut -d' ' -f1)" "$W/decode.log" ||
    { echo "bench/delta: the Cortex-M4 decoder did not rebuild the image" >&2; exit 1; }
dec_insns=$(awk '$1 == "insns" { print $2 }' "$W/decode.1.txt")
dec_bytes=$(sed -n 's/^bench: delta_decode \([0-9]*\)/\1/p' "$W/decode.log")
dec_ipb=$(awk -v a="$dec_insns" -v b="$dec_bytes" 'BEGIN { printf "%.2f", a / b }')
{ cat bench/qemu-insns.txt; echo "delta_decode_ipb $dec_ipb"; } >"$W/insns.txt"

# ---- per pair: sizes, then times ------------------------------------------------------------------
SCEN="fast phone legacy"
: >"$W/rows.txt"
fail=0
for p in $PAIRS; do
    read -r k iv pub < <(pair_keys "$p")
    "$BIN/bleota" image delta --from "$W/$p.old" --to "$W/$p.new" --aes-key "$k" --aes-iv "$iv" \
        -o "$W/$p.patch.ota" >"$W/$p.delta.log" 2>&1
    plen=$("$BIN/bleota" image inspect --json --aes-key "$k" --aes-iv "$iv" "$W/$p.patch.ota" |
        sed -n 's/.*"patch_len": *\([0-9]*\).*/\1/p')
    fwpart "$W/$p.old" "$W/$p.old.fw"
    fwpart "$W/$p.new" "$W/$p.new.fw"
    bsdiff "$W/$p.old.fw" "$W/$p.new.fw" "$W/$p.bsdiff"
    xdelta3 -9 -f -e -s "$W/$p.old.fw" "$W/$p.new.fw" "$W/$p.xd"
    bs=$(stat -c %s "$W/$p.bsdiff")
    xd=$(stat -c %s "$W/$p.xd")
    img=$(stat -c %s "$W/$p.new")
    fw=$(stat -c %s "$W/$p.new.fw")
    ratio=$(awk -v a="$plen" -v b="$bs" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.25) ? "met" : "NOT met" }')
    [ "$ok" = met ] || fail=1
    times=""
    for s in $SCEN; do
        full=$("$BIN/bleota-bench" --insns "$W/insns.txt" --scenario $s --ota "$W/$p.new.ota" \
            --aes-key "$k" --aes-iv "$iv" --pubkey "$pub" | awk '{ print $3 }')
        patch=$("$BIN/bleota-bench" --insns "$W/insns.txt" --scenario $s --ota "$W/$p.patch.ota" \
            --base "$W/$p.old" --aes-key "$k" --aes-iv "$iv" --pubkey "$pub" | awk '{ print $3 }')
        [ -n "$full" ] && [ -n "$patch" ] || { echo "bench/delta: $p on $s failed" >&2; exit 1; }
        times="$times $full $patch"
    done
    echo "$p $img $fw $plen $bs $xd $ratio $ok$times" >>"$W/rows.txt"
done

# ---- reports --------------------------------------------------------------------------------------
desc() {
    case $1 in
    mchp) echo "Microchip's ble_sensor, SDK 2023-09 -> 2023-12 (fixtures/mchp/delta/)" ;;
    demo-line) echo "bleota's QEMU demo, a one-line change (demo_a -> demo_b)" ;;
    demo-lib) echo "bleota's QEMU demo, one library changed (demo_a -> demo_lib: bo_dfu built -O2)" ;;
    esac
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
{
    echo "# bleota delta patches: sizes and update times"
    echo
    echo "Generated by \`bench/delta/run.sh\` (\`make bench\`); identical on every run."
    echo "Patch: \`bleota image delta\`, its payload without the OTA header and padding (the"
    echo "patch bytes, whole signed image rebuilt). bsdiff 4.3 and xdelta3 -9 (Debian 12) diff the"
    echo "firmware parts only (the bytes after each 512-byte header), in this same run. Update"
    echo "times: the timing model (bleota-bench, bench/report.md) sending the new image's OTA file"
    echo "and then the patch to the shipped device, slot 0 holding the old image; the decoder's"
    echo "cost on the device is measured on the Cortex-M4 under QEMU: $dec_ipb instructions per"
    echo "image byte rebuilt ($dec_insns for the $dec_bytes bytes of Microchip's pair)."
    echo
    echo "| pair | image B | patch B (% of image) | bsdiff B | xdelta3 B | patch / bsdiff (≤ 1.25) |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r p img fw plen bs xd ratio ok rest; do
        echo "| $(desc "$p") | $img | $plen ($(pct "$plen" "$img") %) | $bs | $xd | $ratio $ok |"
    done <"$W/rows.txt"
    echo
    echo "| pair | fast: full / patch s | phone: full / patch s | legacy: full / patch s |"
    echo "|---|---:|---:|---:|"
    while read -r p img fw plen bs xd ratio ok f1 p1 f2 p2 f3 p3; do
        echo "| $p | $f1 / $p1 | $f2 / $p2 | $f3 / $p3 |"
    done <"$W/rows.txt"
    echo
    echo "A patch saves air time; the device still writes the whole image (and reads the old one),"
    echo "so on the fastest link the flash and the decoder set the pace (docs/delta.md)."
} >bench/delta-report.md
{
    echo '{'
    echo '  "generator": "bench/delta/run.sh",'
    echo "  \"decoder_insns_per_image_byte\": $dec_ipb,"
    echo '  "pairs": ['
    n=$(wc -l <"$W/rows.txt")
    i=0
    while read -r p img fw plen bs xd ratio ok f1 p1 f2 p2 f3 p3; do
        i=$((i + 1))
        printf '    {"pair": "%s", "image": %s, "firmware": %s, "patch": %s, "bsdiff": %s, "xdelta3": %s, "patch_over_bsdiff": %s, "full_s": {"fast": %s, "phone": %s, "legacy": %s}, "patch_s": {"fast": %s, "phone": %s, "legacy": %s}}%s\n' \
            "$p" "$img" "$fw" "$plen" "$bs" "$xd" "$ratio" "$f1" "$f2" "$f3" "$p1" "$p2" "$p3" \
            "$([ $i -lt "$n" ] && echo ,)"
    done <"$W/rows.txt"
    echo '  ]'
    echo '}'
} >bench/delta-report.json
cat bench/delta-report.md
[ "$fail" = 0 ] || { echo "bench/delta: a patch is larger than 1.25 x bsdiff's" >&2; exit 1; }
