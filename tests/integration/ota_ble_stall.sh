#!/usr/bin/env bash
# ota_ble_stall (issue 5, acceptance 6): a client that stops sending mid-transfer
# (`bleota update --stall-after BYTES`, link kept open). The device aborts after its OTA
# inactivity timeout (BO_DEVICE_OTA_TIMEOUT_MS, short here), reports it in its log and to the
# client (05 on OTA Data: exit 6), keeps running v1, and takes a new update right after.
OTA_TEST=ota_ble_stall
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
make_image v2 2.0.0.0
DEV_ENV=(BO_DEVICE_OTA_TIMEOUT_MS=700)
start_v1 a

k=0
for stall in 5000 0; do
    k=$((k + 1))
    t0=$(date +%s%N)
    update "stall$stall" --stall-after "$stall" --timeout-ms 10000 "$T/v2.ota"
    ms=$((($(date +%s%N) - t0) / 1000000))
    expect_rc 6 "stall after $stall"
    grep -q ": 05 " "$T/stall$stall.err" || fail "stall $stall: the device's timeout (05) was not reported"
    ((ms >= 600 && ms < 8000)) || fail "stall $stall: ended after $ms ms (device timeout 700 ms)"
    dev_lines "ble: update aborted (timeout)" "$k"
    version_is 1.0.0.0
    echo "stalled after $stall bytes: device aborted, client ended after $ms ms"
done

update good "$T/v2.ota"
expect_rc 0 "update after the stalls"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0
stop_dev
echo "ota_ble_stall: ok"
