#!/usr/bin/env bash
# An update cut off mid-transfer (the client drops the link after two thirds of the image)
# continues where it stopped. QEMU may deliver part of what the first client had sent and
# discard the rest, and the client may run up to two windows ahead of the device (early
# acknowledgement), so the first client uses ATT MTU 23 (window 5120 B): the device has stored
# at least one checkpoint (4096 B) when the link drops. The device ends the cut-off session by
# its inactivity timeout (resume record kept); `bleota update --resume` then gets a non-zero
# start index (a resumed download is authenticated through the bootloader's API from flash),
# and v2 is installed.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
ota "$T/v2.bin" "$T/v2.ota"

BO_QEMU_ARGS=halt-at=2.0.0.0 qemu_start device -device loader,file="$T/v1.bin,addr=$SLOT0" \
    -serial unix:"$T/ble.sock",server=on,wait=off
wait_log device "app: OTA service on UART0" 20

drop=$(($(stat -c %s "$T/v2.ota") * 2 / 3))
rc=0
timeout 60 "$BIN/bleota" update --to "unix:$T/ble.sock" --resume --mtu 23 --drop-after "$drop" "$T/v2.ota" \
    >"$T/update1.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "the cut-off update claimed success"
# The UART carries no disconnect: the device ends the cut-off session by its inactivity timeout
# (5 s, resume record kept). Waiting for it means no byte of the old stream can still be on its
# way when the next central starts (QEMU may deliver part of what the first one had sent and
# drop the rest mid-frame; the device forgets such a partial frame after 500 ms of silence).
wait_log device "app: update aborted, reason 4" 30
rc=0
timeout 120 "$BIN/bleota" update --to "unix:$T/ble.sock" --resume "$T/v2.ota" >"$T/update2.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "the resumed update exited $rc"
grep -qE "start index [1-9][0-9]*" "$T/update2.log" || fail "the second update did not resume"
qemu_wait "$QEMU_PID" 60
[ "$QEMU_RC" = 0 ] || fail "QEMU exited $QEMU_RC"
expect_log device "app: update started at offset [1-9]"
expect_log device "boot: installed slot 1 into slot 0"
expect_log device "app: running 2\.0\.0\.0"
pass
