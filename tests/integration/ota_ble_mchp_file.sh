#!/usr/bin/env bash
# ota_ble_mchp_file (issue 5, acceptance 2): Microchip's own OTA file, unchanged, goes through
# `bleota update` into a device holding Microchip's development keys (--mchp-dev-keys: AES key
# AABBCCDDEEFF00112233445566778899, IV zero, Microchip's public key) and 1.1.0.0 boots. Slot 0
# was provisioned with a lower version signed with Microchip's development key.
OTA_TEST=ota_ble_mchp_file
source "$(dirname "$0")/ota_lib.bash"

MCHP="$FX/ble_Sensor_OTA.bin"
random_fw "$T/v1.fw" 16000
"$B/bleota" image sign --key "$FX/mchp_default_dev_key.pem" --version 1.0.0.0 "$T/v1.fw" \
    -o "$T/v1.signed" >/dev/null
start_dev a --flash "$T/flash.nor" --provision "$T/v1.signed" --mchp-dev-keys
version_is 1.0.0.0
update u "$MCHP"
expect_rc 0 "update with ble_Sensor_OTA.bin"
grep -qxF "start index 0, sent 172080 bytes" "$T/u.out" || fail "not all 172080 payload bytes sent"
dev_line "ble: update request: version 1.1.0.0, 172080 bytes, encrypted: accepted"
dev_line "ble: update complete: image valid, version 1.1.0.0"
dev_line "boot: installed 1.1.0.0 from slot 1"
dev_line "app: running 1.1.0.0"
version_is 1.1.0.0
stop_dev
echo "ota_ble_mchp_file: ok (Microchip's ble_Sensor_OTA.bin installed, 1.1.0.0 runs)"
