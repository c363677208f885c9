# The whole pipeline with bleota's own keys: keygen -> sign (raw, Intel HEX with gaps, ELF with
# a .data-style segment) -> ota (plain and encrypted) -> inspect --json -> verify; plus the
# sha256/none methods and the checks that must fail with the wrong key.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
"$BLEOTA" pubkey "$T/k.pem" >"$T/pub.hex"
[ "$(tr -d '\n' <"$T/pub.hex" | wc -c)" = 128 ] || fail "pubkey hex is not 128 digits"
"$BLEOTA" pubkey "$T/k.pem" --format c --name my_key | grep -q "my_key\[64\]" || fail "pubkey --format c"
"$BLEOTA" pubkey "$T/k.pem" --format pem | grep -q "BEGIN PUBLIC KEY" || fail "pubkey --format pem"
AES=00112233445566778899AABBCCDDEEFF
IV=0F0E0D0C0B0A09080706050403020100

# firmware pieces: A at 0x01000200 (1000 bytes), B at 0x01000700 after a 280-byte gap (333 bytes).
# Each starts with a vector table for its address (B is signed alone with --base below).
make_fw "$T/a.bin" 1000
make_fw "$T/b.bin" 333 0x01000700
{ cat "$T/a.bin"; head -c 280 /dev/zero | tr '\0' '\377'; cat "$T/b.bin"; } >"$T/ab.bin" # 1613 bytes
{ cat "$T/ab.bin"; printf '\377\377\377'; } >"$T/expect_ab.bin"                              # padded to 1616

# Intel HEX: A, B, and bytes below the base (skipped) and a start address record.
{
    ihex_data "$T/a.bin" 0x01000000 | head -n 3
    ihex_data "$T/a.bin" 0x01000200
    ihex_data "$T/b.bin" 0x01000700
    echo ':0400000501000201F3'
    echo "$IHEX_EOF"
} | sed 's/$/\r/' >"$T/fw.hex"
# ELF: A as .text at 0x01000200, B as a .data-like segment loaded at 0x01000700 (runs in RAM).
make_elf "$T/fw.elf" 0x01000200 "$T/a.bin" 0x01000700 "$T/b.bin"

check_fw() { # SIGNED EXPECTED: the firmware after the header is exactly EXPECTED
    [ "$(le32 "$1" 32)" = "$(size "$2")" ] || fail "$(basename "$1"): FW_IMG_LEN $(le32 "$1" 32) != $(size "$2")"
    cmp <(tail -c +513 "$1") "$2" || fail "$(basename "$1"): firmware bytes differ"
}

n=0
for input in ab.bin fw.hex fw.elf; do
    s="$T/$input.signed"
    "$BLEOTA" image sign --key "$T/k.pem" --version 1.2.3.4 --seq 7 "$T/$input" -o "$s" >/dev/null ||
        fail "sign $input"
    check_fw "$s" "$T/expect_ab.bin"
    "$BLEOTA" image verify "$s" --pubkey "$T/k.pem" >/dev/null || fail "verify signed $input"
    "$BLEOTA" image ota "$s" -o "$T/$input.plain.ota" >/dev/null || fail "ota plain $input"
    "$BLEOTA" image ota --aes-key $AES --aes-iv $IV --id 0x12345678 "$s" -o "$T/$input.enc.ota" >/dev/null ||
        fail "ota encrypted $input"
    [ "$(size "$T/$input.enc.ota")" = $((16 + 512 + 1616 + 16)) ] || fail "encrypted OTA size"
    run_bleota "$T/vp" image verify "$T/$input.plain.ota" --pubkey "$(cat "$T/pub.hex")"
    [ "$RC" = 0 ] || fail "verify plain OTA of $input: $(cat "$T/vp.out")"
    run_bleota "$T/ve" image verify "$T/$input.enc.ota" --pubkey "$T/k.pem" --aes-key $AES --aes-iv $IV
    [ "$RC" = 0 ] || fail "verify encrypted OTA of $input: $(cat "$T/ve.out")"
    grep -q "image ID: 0x12345678" "$T/ve.out" || fail "--id not in the file"
    n=$((n + 1))
done
# The encrypted payload decrypts with openssl to the signed image + one PKCS#7 block.
tail -c +17 "$T/fw.hex.enc.ota" | openssl enc -d -aes-128-cbc -K $AES -iv $IV | cmp - "$T/fw.hex.signed" ||
    fail "openssl decryption of the OTA payload differs from the signed image"
ok "$n inputs (raw, Intel HEX with gaps, ELF with LMA) signed, wrapped and verified"

# inspect --json: the fields, and valid JSON (python3's parser when it is installed).
"$BLEOTA" image inspect "$T/fw.elf.enc.ota" --json --aes-key $AES --aes-iv $IV >"$T/i.json"
for want in '"kind": "ota"' '"checksum_ok": true' '"image_id": "0x12345678"' '"version": "1.2.3.4"' \
    '"encryption": "aes-128-cbc"' '"decrypted": true' '"padding_ok": true' '"seq_num": 7' '"fw_len": 1616' \
    '"fw_rev": "1.2.3.4"' '"md_auth": "ecdsa"' '"manu_id": "MCHP"'; do
    grep -qF "$want" "$T/i.json" || fail "inspect --json: no $want"
done
[ "$(grep -c '"valid": true' "$T/i.json")" = 2 ] || fail "inspect --json: header and metadata not both valid"
"$BLEOTA" image inspect "$T/fw.elf.enc.ota" --json >"$T/i2.json"
grep -qF '"decrypted": false' "$T/i2.json" && ! grep -q '"metadata"' "$T/i2.json" ||
    fail "inspect --json without key shows metadata"
if command -v python3 >/dev/null; then
    for j in i i2; do
        python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/$j.json" || fail "$j.json is not valid JSON"
    done
else
    echo "note: python3 not installed, JSON syntax checked by grep only"
fi
"$BLEOTA" image inspect "$T/fw.elf.signed" | grep -q "^  fw_len: 1616" || fail "inspect text"
ok "inspect --json and text"

# Wrong keys fail the right checks.
"$BLEOTA" keygen -o "$T/k2.pem" >/dev/null
# (A signed-digest image: the firmware digest stays valid, the metadata signature fails.)
run_bleota "$T/w" image verify "$T/ab.bin.plain.ota" --pubkey "$T/k2.pem"
[ "$RC" = 1 ] && grep -q "firmware signature: ok (SHA-256 digest" "$T/w.out" && grep -q "metadata signature: FAIL" "$T/w.out" ||
    fail "wrong public key not caught"
run_bleota "$T/w" image verify "$T/ab.bin.enc.ota" --pubkey "$T/k.pem" --aes-key $AES --aes-iv $AES
[ "$RC" = 1 ] && grep -q "structure: FAIL" "$T/w.out" || fail "wrong IV not caught"
ok "wrong keys are caught"

# sha256 and none methods.
"$BLEOTA" image sign --auth sha256 --version 9.9.9.9 "$T/ab.bin" -o "$T/sha.signed" >/dev/null
run_bleota "$T/sha" image verify "$T/sha.signed"
[ "$RC" = 0 ] && grep -q "firmware signature: ok (SHA-256 digest, valid)" "$T/sha.out" || fail "sha256 image"
[ "$(byte "$T/sha.signed" 40)" = 32 ] || fail "sha256 signature size"
flip "$T/sha.signed" 600
run_bleota "$T/sha" image verify "$T/sha.signed"
[ "$RC" = 1 ] || fail "changed sha256 image passes"
"$BLEOTA" image sign --auth none --version 9.9.9.9 "$T/ab.bin" -o "$T/none.signed" >/dev/null
run_bleota "$T/none" image verify "$T/none.signed"
[ "$RC" = 1 ] && grep -q "method none" "$T/none.out" || fail "unsigned image passes without --allow-unsigned"
run_bleota "$T/none" image verify "$T/none.signed" --allow-unsigned
[ "$RC" = 0 ] || fail "unsigned image with --allow-unsigned"
ok "sha256 and none methods"

# Signed-digest mode is the default with ECDSA: ECDSA metadata carrying the firmware's SHA-256
# (MD_AUTH 2, FW_IMG_AUTH 1); --fw-auth sha256 asks for the same explicitly.
for how in default explicit; do
    extra=()
    [ "$how" = explicit ] && extra=(--fw-auth sha256)
    "$BLEOTA" image sign --key "$T/k.pem" "${extra[@]}" --version 2.0.0.0 "$T/ab.bin" -o "$T/dig.signed" >"$T/dig.out" ||
        fail "sign, $how firmware auth"
    grep -q "auth 2, firmware auth 1" "$T/dig.out" || fail "digest mode ($how): sign output"
    [ "$(byte "$T/dig.signed" 22)" = 2 ] && [ "$(byte "$T/dig.signed" 36)" = 1 ] && [ "$(byte "$T/dig.signed" 40)" = 32 ] ||
        fail "digest mode ($how): MD_AUTH/FW_IMG_AUTH/FW_IMG_SIG_SZ"
    cmp <(tail -c +513 "$T/dig.signed" | openssl dgst -sha256 -binary) <(dd if="$T/dig.signed" bs=1 skip=41 count=32 status=none) ||
        fail "digest mode ($how): FW_IMG_SIG is not the firmware's SHA-256"
done
run_bleota "$T/dig" image verify "$T/dig.signed" --pubkey "$T/k.pem"
[ "$RC" = 0 ] && grep -q "firmware signature: ok (SHA-256 digest, valid)" "$T/dig.out" &&
    grep -q "metadata signature: ok (ECDSA P-256, valid)" "$T/dig.out" || fail "digest mode image: $(cat "$T/dig.out")"
flip "$T/dig.signed" 600
run_bleota "$T/dig" image verify "$T/dig.signed" --pubkey "$T/k.pem"
[ "$RC" = 1 ] && grep -q "firmware signature: FAIL" "$T/dig.out" || fail "changed digest-mode firmware passes"
run_bleota "$T/dig" image sign --auth sha256 --fw-auth ecdsa --version 2.0.0.0 "$T/ab.bin" -o "$T/x.signed"
[ "$RC" = 2 ] || fail "--fw-auth ecdsa without --auth ecdsa accepted"
run_bleota "$T/dig" image sign --key "$T/k.pem" --fw-auth none --version 2.0.0.0 "$T/ab.bin" -o "$T/x.signed"
[ "$RC" = 2 ] || fail "--fw-auth none accepted"
ok "signed-digest mode is the default (and --fw-auth sha256 says so explicitly)"

# Microchip-style 2/2 images on request: --fw-auth ecdsa signs the firmware with ECDSA too.
"$BLEOTA" image sign --key "$T/k.pem" --fw-auth ecdsa --version 2.0.0.0 "$T/ab.bin" -o "$T/two.signed" >"$T/two.out" ||
    fail "sign --fw-auth ecdsa"
grep -q "auth 2$" "$T/two.out" || fail "2/2 image: sign output $(cat "$T/two.out")"
[ "$(byte "$T/two.signed" 22)" = 2 ] && [ "$(byte "$T/two.signed" 36)" = 2 ] && [ "$(byte "$T/two.signed" 40)" -ge 70 ] ||
    fail "2/2 image: MD_AUTH/FW_IMG_AUTH/FW_IMG_SIG_SZ"
run_bleota "$T/two" image verify "$T/two.signed" --pubkey "$T/k.pem"
[ "$RC" = 0 ] && grep -q "firmware signature: ok (ECDSA P-256, valid)" "$T/two.out" || fail "2/2 image: $(cat "$T/two.out")"
run_bleota "$T/two" image verify "$T/two.signed" --pubkey "$T/k2.pem"
[ "$RC" = 1 ] && grep -q "firmware signature: FAIL" "$T/two.out" && grep -q "metadata signature: FAIL" "$T/two.out" ||
    fail "2/2 image: wrong public key not caught by both signatures"
ok "Microchip-style 2/2 images with --fw-auth ecdsa"

# Defaults, --base, --manu, cropping at the slot end.
[ "$(byte "$T/ab.bin.signed" 16)" = 7 ] || fail "--seq not stored"
"$BLEOTA" image sign --auth sha256 --version 1.0.0.0 --base 0x01000700 --manu ACME "$T/fw.hex" -o "$T/base.signed" >/dev/null
{ cat "$T/b.bin"; printf '\377\377\377'; } >"$T/expect_b.bin"
check_fw "$T/base.signed" "$T/expect_b.bin"
[ "$(dd if="$T/base.signed" bs=1 skip=8 count=4 status=none)" = ACME ] || fail "--manu"
# Bytes above the slot end (0x01080000: slot 1) are left out with a warning.
{ ihex_data "$T/a.bin" 0x01000200; ihex_data "$T/b.bin" 0x01080000; echo "$IHEX_EOF"; } >"$T/edge.hex"
run_bleota "$T/edge" image sign --auth sha256 --version 1.0.0.0 "$T/edge.hex" -o "$T/edge.signed"
[ "$RC" = 0 ] && grep -q "333 bytes above 0x01080000 (slot end) left out" "$T/edge.err" || fail "slot-end crop not reported"
[ "$(le32 "$T/edge.signed" 32)" = 1008 ] || fail "cropped image is not A alone"
ok "--base, --manu, --seq, crop at the slot end"

# A real toolchain ELF (.text in flash, .data loaded after it), when arm-none-eabi-gcc is here.
if command -v arm-none-eabi-gcc >/dev/null && command -v arm-none-eabi-objcopy >/dev/null; then
    cat >"$T/app.c" <<'C'
int counter = 0x12345678;
const char banner[] = "bleota roundtrip";
__attribute__((used)) const unsigned char table[1024] = {1, 2, 3}; /* code past 0x200 bytes */
int main(void) { return counter + banner[0]; }
void Reset_Handler(void) { main(); for (;;) { } }
__attribute__((section(".vectors"), used)) void (*const vectors[2])(void) = {
    (void (*)(void))0x20020000, Reset_Handler};
C
    cat >"$T/app.ld" <<'LD'
SECTIONS {
  .text 0x01000200 : { KEEP(*(.vectors)) *(.text*) *(.rodata*) }
  .data 0x20000000 : AT(LOADADDR(.text) + SIZEOF(.text)) { *(.data*) }
  /DISCARD/ : { *(.ARM.*) *(.comment) }
}
LD
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -nostdlib -nostartfiles -e Reset_Handler \
        -T "$T/app.ld" "$T/app.c" -o "$T/app.elf" 2>"$T/ld.err" || fail "arm-none-eabi-gcc: $(cat "$T/ld.err")"
    arm-none-eabi-objcopy -O binary "$T/app.elf" "$T/app.bin"
    n=$(size "$T/app.bin")
    { cat "$T/app.bin"; head -c $(((16 - n % 16) % 16)) /dev/zero | tr '\0' '\377'; } >"$T/expect_app.bin"
    "$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/app.elf" -o "$T/app.signed" >/dev/null ||
        fail "sign a toolchain ELF"
    check_fw "$T/app.signed" "$T/expect_app.bin"
    # The same application linked where the metadata header goes: refused, the fix named.
    sed 's/0x01000200/0x01000000/' "$T/app.ld" >"$T/app0.ld"
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -nostdlib -nostartfiles -e Reset_Handler \
        -T "$T/app0.ld" "$T/app.c" -o "$T/app0.elf" 2>"$T/ld.err" || fail "arm-none-eabi-gcc: $(cat "$T/ld.err")"
    run_bleota "$T/app0" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/app0.elf" -o "$T/app0.signed"
    [ "$RC" = 2 ] && grep -q "link the application at 0x01000200" "$T/app0.err" ||
        fail "an application linked at 0x01000000: exit $RC, $(cat "$T/app0.err")"
    ok "arm-none-eabi-gcc ELF signed ($n bytes); linked at 0x01000000 it is refused"
else
    echo "note: arm-none-eabi-gcc not found, the crafted ELF above covers the loader"
fi

"$BLEOTA" --version | grep -q "^bleota [0-9]" || fail "--version"
for c in "keygen" "pubkey" "image" "image sign" "image ota" "image inspect" "image verify" "update" "info" "serial"; do
    "$BLEOTA" $c --help | grep -q "usage: bleota" || fail "$c --help"
done
"$BLEOTA" --help | grep -q "exit codes" || fail "bleota --help"
ok "--help and --version"
finish
