#!/usr/bin/env bash
# ota_ble_reject CASE (issue 5, acceptance 3): each rejection is its own ctest
# (ota_ble_reject.cmake). The device runs v1; the bad update is refused with the expected
# result code; the device keeps running v1 and then accepts a good v2.
#   flipped_byte   one payload byte flipped (checksum fixed): Complete answers 03 (exit 1)
#   wrong_aes_key  encrypted with another AES key: the header fails its check, 03 on OTA Data
#                  during the transfer (exit 6)
#   wrong_sign_key signed with another key: the same (exit 6)
#   older_version  announces 0.9.0.0: Update Request answers 02 (exit 5)
#   app_refuses    the application says no: Update Request answers 02 (exit 5)
#   size_zero / size_unaligned / size_too_big: --force-size, Update Request answers 04 (exit 5)
CASE=${1:?usage: ota_ble_reject.bash CASE}
OTA_TEST=ota_ble_reject_$CASE
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
make_image v2 2.0.0.0

# flip_byte FILE OFFSET: flips the low bit of one byte and fixes the header checksum (so the
# client's own file check passes and the device must catch it).
flip_byte() {
    local f=$1 off=$2 old new sum
    old=$(od -An -tu1 -j"$off" -N1 "$f" | tr -d ' ')
    new=$((old ^ 1))
    printf "\\x$(printf %02x "$new")" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
    sum=$(od -An -tu2 -j2 -N2 --endian=little "$f" | tr -d ' ')
    sum=$(((sum - (new - old)) & 0xFFFF))
    printf "\\x$(printf %02x $((sum & 255)))\\x$(printf %02x $((sum >> 8)))" |
        dd of="$f" bs=1 seek=2 conv=notrunc status=none
}

want_rc=5 want_code="" extra=() bad="$T/bad.ota"
case "$CASE" in
flipped_byte)
    cp "$T/v2.ota" "$bad"
    flip_byte "$bad" $((16 + 512 + 1000)) # inside the (encrypted) firmware
    want_rc=1 want_code="03" ;;
wrong_aes_key)
    "$B/bleota" image ota --aes-key "$(hex16)" --aes-iv "$AES_IV" "$T/v2.signed" -o "$bad" >/dev/null
    want_rc=6 want_code="03" ;;
wrong_sign_key)
    "$B/bleota" keygen -o "$T/other.pem" >/dev/null
    make_image other 2.0.0.0 "$T/other.pem"
    bad="$T/other.ota"
    want_rc=6 want_code="03" ;;
older_version)
    make_image old 0.9.0.0
    bad="$T/old.ota"
    want_code="02" ;;
app_refuses)
    bad="$T/v2.ota"
    DEV_ENV=(BO_DEVICE_REFUSE_UPDATES=1)
    want_code="02" ;;
size_zero) bad="$T/v2.ota" extra=(--force-size 0) want_code="04" ;;
size_unaligned) bad="$T/v2.ota" extra=(--force-size $(($(payload_len "$T/v2.ota") - 1))) want_code="04" ;;
size_too_big) bad="$T/v2.ota" extra=(--force-size 507920) want_code="04" ;;
*) fail "unknown case $CASE" ;;
esac

start_v1 a
update bad "${extra[@]}" "$bad"
expect_rc "$want_rc" "$CASE"
grep -q ": $want_code " "$T/bad.err" || fail "$CASE: result code $want_code not reported: $(cat "$T/bad.err")"
if [[ "$want_rc" == 1 ]]; then
    grep -q "^ble: update complete: image invalid" "$DEV_LOG.err" || fail "$CASE: device did not report an invalid image"
fi
version_is 1.0.0.0
kill -0 "$DEV_PID" || fail "$CASE: the device died"

if [[ "$CASE" == app_refuses ]]; then
    DEV_ENV=()
    restart_dev b # the application changed its mind
fi
update good "$T/v2.ota"
expect_rc 0 "$CASE: good update afterwards"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0
stop_dev
echo "ota_ble_reject_$CASE: ok (refused with $want_code, v1 kept, v2 accepted afterwards)"
