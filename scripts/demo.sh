#!/usr/bin/env bash
# The bleota demo: a signed, encrypted update over the simulated BLE link into the simulated
# device, which reboots into the new version. Uses only the built tools in build/bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BO_BIN:-$PWD/build/bin}
D=${BO_DEMO_DIR:-$PWD/build/demo}
rm -rf "$D" && mkdir -p "$D"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
dev_pid=""
cleanup() { [ -n "$dev_pid" ] && kill "$dev_pid" 2>/dev/null && wait "$dev_pid" 2>/dev/null; return 0; }
trap cleanup EXIT

# Wait until the device log shows a line matching $1 (at most $2 seconds).
wait_for() {
    local pattern=$1 secs=${2:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        grep -q -- "$pattern" "$D/device.log" && return 0
        sleep 0.1
    done
    echo "demo: timed out waiting for '$pattern'; device log:" >&2
    cat "$D/device.log" >&2
    return 1
}

AES_KEY=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
AES_IV=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

step "1. a signing key pair (ECDSA P-256) for this product"
"$BIN/bleota" keygen -o "$D/signing.pem"
"$BIN/bleota" pubkey "$D/signing.pem" --format pem > "$D/signing.pub.pem"
"$BIN/bleota" pubkey "$D/signing.pem" --format hex

step "2. two firmware builds, signed: v1.0.0.0 (in the factory) and v2.0.0.0 (the update)"
# stand-ins for two builds: a Cortex-M vector table (initial SP at the top of the BZ2's RAM,
# reset handler inside the image, linked at 0x01000200), then random code
fake_fw() { { printf '\x00\x00\x02\x20\x09\x02\x00\x01'; head -c $(($2 - 8)) /dev/urandom; } > "$1"; }
fake_fw "$D/fw-v1.bin" 40000
fake_fw "$D/fw-v2.bin" 52000
"$BIN/bleota" image sign --key "$D/signing.pem" --version 1.0.0.0 "$D/fw-v1.bin" -o "$D/v1.signed.bin"
"$BIN/bleota" image sign --key "$D/signing.pem" --version 2.0.0.0 "$D/fw-v2.bin" -o "$D/v2.signed.bin"

step "3. the BLE OTA file: v2, AES-128-CBC encrypted with the product key"
"$BIN/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$D/v2.signed.bin" -o "$D/v2.ota"
"$BIN/bleota" image inspect "$D/v2.ota"
"$BIN/bleota" image verify "$D/v2.ota" --pubkey "$D/signing.pub.pem" --aes-key "$AES_KEY" --aes-iv "$AES_IV"

step "4. the simulated device: factory-programmed with v1, keys provisioned, BLE link on a socket"
"$BIN/bleota-device" --flash "$D/flash.bin" --provision "$D/v1.signed.bin" \
    --pubkey "$D/signing.pub.pem" --aes-key "$AES_KEY" --aes-iv "$AES_IV" \
    --ble "$D/ble.sock" > "$D/device.log" 2>&1 &
dev_pid=$!
wait_for "boot: running 1.0.0.0 from slot 0"
wait_for "app: running"
sed 's/^/    device | /' "$D/device.log"
"$BIN/bleota" info --to "sim:$D/ble.sock"

step "5. the update over BLE: bleota update"
"$BIN/bleota" update --to "sim:$D/ble.sock" "$D/v2.ota"

step "6. the device validated the image, reset, and the bootloader installed it"
wait_for "boot: running 2.0.0.0 from slot 0"
wait_for "app: running 2.0.0.0"
sed 's/^/    device | /' "$D/device.log"
"$BIN/bleota" info --to "sim:$D/ble.sock"

step "done: the device runs 2.0.0.0"
