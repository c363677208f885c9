# Acceptance 2: any single flipped byte of Microchip's files makes verify exit non-zero and name
# what failed. A spread: every OTA header byte, payload bytes over the metadata, firmware,
# signature and padding regions, and the signed regions of the UART image.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

# check_flip FILE OFFSET WANT: flip one byte of a copy, verify, expect exit != 0 and WANT in output.
check_flip() {
    local src=$1 off=$2 want=$3 c="$T/flipped.bin"
    cp "$src" "$c"
    flip "$c" "$off"
    run_bleota "$T/v" image verify "$c" --mchp-dev-keys
    if [ "$RC" -eq 0 ]; then
        fail "$(basename "$src") byte $off flipped: verify passed"
    elif ! grep -qE "$want" "$T/v.out" "$T/v.err"; then
        fail "$(basename "$src") byte $off flipped: exit $RC but no '$want' in: $(cat "$T/v.out" "$T/v.err")"
    fi
}

n=0
# Every header byte. Byte 0 (HEADER_VER) makes the file unrecognisable; the rest is caught by the
# checksum at least, the header fields also by structure.
check_flip "$FIX_OTA" 0 "not an OTA file"
for off in $(seq 1 15); do
    check_flip "$FIX_OTA" "$off" "checksum: FAIL"
    n=$((n + 1))
done
for off in 1 8 12 13 15; do
    check_flip "$FIX_OTA" "$off" "structure: FAIL"
done
# Payload: metadata header ciphertext, signature areas, firmware, the PKCS#7 block.
len=$(size "$FIX_OTA")
for off in 16 17 40 57 100 200 300 455 500 527 528 600 4096 65536 100000 150000 $((len - 40)) $((len - 17)) \
    $((len - 16)) $((len - 1)); do
    check_flip "$FIX_OTA" "$off" "checksum: FAIL"
    n=$((n + 1))
done
ok "$n flips of the BLE OTA file detected"

# The UART image has no checksum: each signed region must be caught by its own check.
n=0
for off in 0 3 7 12 15 20 21 23 24 25 26 27; do # fillers and fixed fields (structural check)
    check_flip "$FIX_UART" "$off" "structure: FAIL"
    n=$((n + 1))
done
for off in 22 28 29 30 31 32 33 34 35 40 41 42 100 112 113 200 300 400 438 439 440 443 480 510 511; do
    check_flip "$FIX_UART" "$off" "(metadata signature|structure): FAIL"
    n=$((n + 1))
done
for off in 43 44 50 80 110; do # inside the firmware signature's r and s
    check_flip "$FIX_UART" "$off" "firmware signature: FAIL"
    n=$((n + 1))
done
len=$(size "$FIX_UART")
for off in 512 513 1000 65536 200000 $((len - 16)) $((len - 1)); do
    check_flip "$FIX_UART" "$off" "firmware signature: FAIL"
    n=$((n + 1))
done
ok "$n flips of the UART image detected"

# Cut or extended files fail verification (exit 1) and say where.
check_len() { # SRC MAKE-CMD WANT...
    local src=$1 how=$2
    shift 2
    case $how in
    cut16) head -c $(($(size "$src") - 16)) "$src" >"$T/len.bin" ;;
    add1) { cat "$src"; printf '\377'; } >"$T/len.bin" ;;
    add16) { cat "$src"; head -c 16 /dev/zero; } >"$T/len.bin" ;;
    esac
    run_bleota "$T/l" image verify "$T/len.bin" --mchp-dev-keys
    [ "$RC" -eq 1 ] || fail "$(basename "$src") $how: exit $RC (want 1)"
    for w in "$@"; do
        grep -q "$w" "$T/l.out" || fail "$(basename "$src") $how: no '$w' in $(cat "$T/l.out")"
    done
}
check_len "$FIX_OTA" cut16 "checksum: FAIL" "structure: FAIL"
check_len "$FIX_OTA" add1 "checksum: FAIL" "decryption: FAIL (encrypted payload is not a whole number"
check_len "$FIX_OTA" add16 "checksum: ok" "decryption: FAIL (PKCS#7" "structure: FAIL" # zeros keep the sum
check_len "$FIX_UART" cut16 "structure: FAIL (image is 306672 bytes" "firmware signature: FAIL"
check_len "$FIX_UART" add1 "structure: FAIL (image is 306689 bytes"
ok "cut and extended files fail"

# By Microchip's design MANU_IDENTIFIER (0x08) and SEQ_NUM (0x10) are not signed: verify still
# passes and shows the new value, so a tool user can see what was changed.
cp "$FIX_UART" "$T/seq.bin"
flip "$T/seq.bin" 16 3
run_bleota "$T/seq" image verify "$T/seq.bin" --mchp-dev-keys
[ "$RC" -eq 0 ] || fail "SEQ_NUM change: exit $RC"
grep -q "SEQ_NUM 2," "$T/seq.out" || fail "SEQ_NUM change not shown"
ok "unsigned SEQ_NUM change is shown"
finish
