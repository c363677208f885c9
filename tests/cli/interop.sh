# Acceptance 3 and 4: bleota reproduces Microchip's OTA file byte for byte, and its signatures
# verify with OpenSSL over the documented ranges; keys made by OpenSSL (SEC1 and PKCS#8) sign.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

# ---- acceptance 3: decrypt, drop the PKCS#7 block, rebuild, compare ----
tail -c +17 "$FIX_OTA" >"$T/payload.enc"
openssl enc -d -aes-128-cbc -nopad -K $MCHP_AES -iv $ZERO_IV -in "$T/payload.enc" -out "$T/payload.dec"
plen=$(size "$T/payload.dec")
[ "$(tail -c 16 "$T/payload.dec" | od -An -tx1 | tr -d ' \n')" = "10101010101010101010101010101010" ] ||
    fail "fixture's last plaintext block is not PKCS#7 16x0x10"
head -c $((plen - 16)) "$T/payload.dec" >"$T/signed.bin"
"$BLEOTA" image ota --aes-key $MCHP_AES --aes-iv $ZERO_IV --id 0x9B000000 "$T/signed.bin" -o "$T/rebuilt.bin" >/dev/null
cmp "$T/rebuilt.bin" "$FIX_OTA" || fail "rebuilt OTA file differs from Microchip's"
ok "ble_Sensor_OTA.bin reproduced byte for byte"

# The UART image wrapped plainly has the same payload bytes and a correct checksum.
"$BLEOTA" image ota "$FIX_UART" -o "$T/uart_ota.bin" >/dev/null
cmp <(tail -c +17 "$T/uart_ota.bin") "$FIX_UART" || fail "plain OTA payload differs from the signed image"
[ "$(byte "$T/uart_ota.bin" 1)" = 0 ] || fail "plain OTA file marked encrypted"
"$BLEOTA" image verify "$T/uart_ota.bin" --mchp-dev-keys >/dev/null 2>&1 || fail "plain OTA of the UART image fails verify"
ok "plain OTA file of the UART image"

# ---- acceptance 4: OpenSSL verifies bleota's signatures over the documented ranges ----
# check_openssl SIGNED PUBPEM: both signatures of a bleota-signed image verify with openssl dgst.
check_openssl() {
    local img=$1 pub=$2 fwlen fwsz mdsz
    fwlen=$(le32 "$img" 32)
    fwsz=$(byte "$img" 40)
    mdsz=$(byte "$img" 439)
    tail -c +513 "$img" | head -c "$fwlen" >"$T/fw.range"
    dd if="$img" of="$T/fw.sig" bs=1 skip=41 count="$fwsz" status=none
    # Metadata range: 0x14..0x1FF with MD_SIG_SZ and MD_SIG (0x1B7..0x1FF, 73 bytes) zeroed.
    { dd if="$img" bs=1 skip=20 count=$((0x1B7 - 20)) status=none; head -c 73 /dev/zero; } >"$T/md.range"
    dd if="$img" of="$T/md.sig" bs=1 skip=440 count="$mdsz" status=none
    [ "$(size "$T/md.range")" = 492 ] || fail "metadata range is not 492 bytes"
    openssl dgst -sha256 -verify "$pub" -signature "$T/fw.sig" "$T/fw.range" >/dev/null ||
        fail "$(basename "$img"): openssl rejects the firmware signature"
    openssl dgst -sha256 -verify "$pub" -signature "$T/md.sig" "$T/md.range" >/dev/null ||
        fail "$(basename "$img"): openssl rejects the metadata signature"
    # ...and a changed range must not verify (the check above can fail).
    printf 'x' >>"$T/fw.range"
    openssl dgst -sha256 -verify "$pub" -signature "$T/fw.sig" "$T/fw.range" >/dev/null 2>&1 &&
        fail "$(basename "$img"): openssl accepts a changed firmware range"
    return 0
}

# Microchip's own file, as a check of the ranges themselves.
"$BLEOTA" pubkey "$FIX_KEY" --format pem >"$T/mchp_pub.pem"
check_openssl "$FIX_UART" "$T/mchp_pub.pem"
ok "openssl verifies the fixture over the documented ranges"

make_fw "$T/fw.bin" 5000
"$BLEOTA" keygen -o "$T/bleota_key.pem" >/dev/null
openssl ecparam -genkey -name prime256v1 -noout -out "$T/sec1.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/pkcs8.pem"
grep -q "BEGIN EC PRIVATE KEY" "$T/sec1.pem" || fail "openssl ecparam did not make a SEC1 key"
grep -q "BEGIN PRIVATE KEY" "$T/pkcs8.pem" || fail "openssl genpkey did not make a PKCS#8 key"
for k in bleota_key sec1 pkcs8; do
    # Two ECDSA signatures to check (2/2, Microchip-style): not the default, asked for explicitly.
    "$BLEOTA" image sign --key "$T/$k.pem" --fw-auth ecdsa --version 3.1.4.1 --seq 5 "$T/fw.bin" -o "$T/$k.signed" >/dev/null ||
        fail "$k: sign failed"
    openssl pkey -in "$T/$k.pem" -pubout -out "$T/$k.pub" 2>/dev/null
    check_openssl "$T/$k.signed" "$T/$k.pub"
    # bleota's public key export agrees with OpenSSL's.
    "$BLEOTA" pubkey "$T/$k.pem" --format pem | cmp - "$T/$k.pub" || fail "$k: pubkey --format pem differs from openssl"
    "$BLEOTA" image verify "$T/$k.signed" --pubkey "$T/$k.pub" >/dev/null || fail "$k: bleota verify failed"
done
ok "bleota, SEC1 and PKCS#8 keys sign; openssl verifies both signatures"

# An OpenSSL key's public half as hex matches the point OpenSSL prints.
hex_openssl=$(openssl ec -in "$T/sec1.pem" -pubout -outform DER 2>/dev/null | tail -c 64 | od -An -tx1 | tr -d ' \n')
[ "$("$BLEOTA" pubkey "$T/sec1.pem")" = "$hex_openssl" ] || fail "pubkey hex differs from openssl's point"
ok "pubkey hex = openssl's X||Y"
finish
