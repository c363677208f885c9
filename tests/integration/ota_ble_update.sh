#!/usr/bin/env bash
# ota_ble_update (issue 5, acceptance 1): a device running v1 (provisioned, own key pair, own
# AES key) takes a bleota-built, signed, encrypted v2 through `bleota update`, validates it,
# resets, installs it, and `bleota info` reports v2. Then v3 at the smallest MTU (23), and v4
# at the largest (517) with the reference window of 1024 (514 + 510 per window: no straddling).
OTA_TEST=ota_ble_update
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
make_image v2 2.0.0.0
make_image v3 3.0.0.0
make_image v4 4.0.0.0
start_v1 a
version_is 1.0.0.0

# the file is checked before connecting: a damaged one never reaches the device
cp "$T/v2.ota" "$T/damaged.ota"
old=$(od -An -tu1 -j900 -N1 "$T/damaged.ota" | tr -d ' ')
printf "\\x$(printf %02x $((old ^ 1)))" | dd of="$T/damaged.ota" bs=1 seek=900 conv=notrunc status=none
conns=$(grep -c "^ble: connected" "$DEV_LOG.err")
update damaged "$T/damaged.ota"
expect_rc 2 "damaged file"
grep -q "checksum mismatch" "$T/damaged.err" || fail "damaged file: no checksum error"
(($(grep -c "^ble: connected" "$DEV_LOG.err") == conns)) || fail "the client connected with a damaged file"
# nobody listening: a link error, quickly
RC=0
timeout 20 "$B/bleota" update --to "sim:$T/nobody.sock" "$T/v2.ota" >/dev/null 2>"$T/nobody.err" || RC=$?
expect_rc 3 "no device"
grep -q "cannot connect" "$T/nobody.err" || fail "no device: unclear error"

update u2 "$T/v2.ota"
expect_rc 0 "update to v2"
n=$(payload_len "$T/v2.ota")
grep -qxF "start index 0, sent $n bytes" "$T/u2.out" || fail "v2: no 'start index 0, sent $n bytes'"
grep -qxF "accepted: device runs 1.0.0.0, window 62464 bytes, start index 0 of $n" "$T/u2.out" ||
    fail "v2: the device did not report its version/window"
dev_line "ble: update complete: image valid, version 2.0.0.0"
dev_line "boot: installed 2.0.0.0 from slot 1"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0

update u3 --mtu 23 "$T/v3.ota"
expect_rc 0 "update to v3 at MTU 23"
dev_line "app: running 3.0.0.0"
version_is 3.0.0.0

DEV_ENV=(BO_DEVICE_BLE_MTU=517 BO_DEVICE_OTA_WINDOW=1024) # and the reference window
restart_dev b
update u4 --mtu 517 "$T/v4.ota"
expect_rc 0 "update to v4 at MTU 517"
dev_line "app: running 4.0.0.0"
version_is 4.0.0.0
stop_dev
echo "ota_ble_update: ok (v1 -> v2 -> v3 at MTU 23 -> v4 at MTU 517)"
