#!/usr/bin/env bash
# ota_ble_back_to_back: a central that connects right after another one hung up is served, even
# when the device has not run in between (a loaded machine): the device reads the old link's
# hang-up before it refuses a "second" central. Made deterministic by stopping the device.
OTA_TEST=ota_ble_back_to_back
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
make_image v2 2.0.0.0
start_v1 a
version_is 1.0.0.0

kill -STOP "$DEV_PID"
# a first central connects, asks, gives up and hangs up, all while the device sleeps
"$B/bleota" info --to "sim:$SOCK" --timeout-ms 300 >/dev/null 2>"$T/first.err" || true
# the next one connects at once; the device wakes up with both events pending
timeout 120 "$B/bleota" update --to "sim:$SOCK" "$T/v2.ota" >"$T/next.out" 2>"$T/next.err" &
upd=$!
sleep 0.5
kill -CONT "$DEV_PID"
RC=0
wait "$upd" || RC=$?
expect_rc 0 "update right after another central hung up"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0
stop_dev
echo "ota_ble_back_to_back: ok"
