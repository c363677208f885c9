#!/usr/bin/env bash
# ota_ble_already_current: re-sending the running image, signed again with another SEQ_NUM
# (the same signed content: SEQ_NUM and the signature's encoding are not covered), is answered
# as already current and costs the flash zero erases; the device keeps running it.
OTA_TEST=ota_ble_already_current
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
"$B/bleota" image sign --key "$T/key.pem" --version 1.0.0.0 --seq 7 "$T/v1.fw" \
    -o "$T/again.signed" >/dev/null 2>"$T/sign_again.err" || fail "image sign again"
cmp -s "$T/v1.signed" "$T/again.signed" && fail "the re-signed image should differ in bytes"
"$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/again.signed" \
    -o "$T/again.ota" >/dev/null 2>"$T/ota_again.err" || fail "image ota again"

start_v1 a
version_is 1.0.0.0
restart_dev b # the first boot settled (it recorded the floor): count from here
update again "$T/again.ota"
[[ "$RC" != 0 ]] || fail "re-sending the running image should not report an update"
dev_line "ble: update refused: the image is the one already running"
version_is 1.0.0.0
stop_dev
grep -q "^bleota-device: flash: 0 erases" "$T/b.err" ||
    fail "re-sending the running image erased flash: $(grep 'flash:' "$T/b.err")"
grep -q "boot: installed" "$T/b.log" && fail "the running image was installed again"
echo "ota_ble_already_current: ok"
