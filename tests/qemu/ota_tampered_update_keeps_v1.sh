#!/usr/bin/env bash
# A tampered update over the BLE link (one flipped bit of the signed image before encryption):
# the demo programs it, the bootloader's authenticate refuses it on Update Complete, the client
# is told the image is invalid, no reset happens and v1 keeps running. Link: a Unix socket.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
flip "$T/v2.bin" 2000
ota "$T/v2.bin" "$T/v2.ota"

BO_QEMU_ARGS=halt-at=2.0.0.0 qemu_start device -device loader,file="$T/v1.bin,addr=$SLOT0" \
    -serial unix:"$T/ble.sock",server=on,wait=off
wait_log device "app: OTA service on UART0" 20

rc=0
timeout 120 "$BIN/bleota" update --to "unix:$T/ble.sock" "$T/v2.ota" >"$T/update.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "bleota update exited $rc, expected 1 (image rejected as invalid)"
wait_log device "app: update refused: authentication failed" 10
sleep 1 # a reset would happen 500 ms after a Reset Request
kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU ended; v1 should still be running"
expect_no_log device "boot: installed|app: running 2\.0\.0\.0|resetting"
[ "$(grep -c 'app: running 1\.0\.0\.0' "$T/device.log")" = 1 ] || fail "v1 did not keep running"
pass
