#!/usr/bin/env bash
# boot_serial_dfu: serial DFU end to end (issue 4, acceptance 1).
#  1. a device provisioned with v1, put into serial DFU (--sdfu), receives v2 with
#     `bleota serial`, resets, installs and prints "boot: running 2.0.0.0 from slot 0";
#  2. a tampered v3 sent the same way is refused and v2 keeps running;
#  3. the same through the listening window after a reset (--sdfu-window), no trigger;
#  4. Microchip's own signed UART image is installed on a device holding Microchip's
#     development key (an empty device: no valid image, so it stays in serial DFU).
set -euo pipefail
B=${BO_BIN:?BO_BIN not set}
FX=${BO_FIXTURES:?BO_FIXTURES not set}
mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/boot_serial_dfu.XXXXXX")
DEV_PID=""

cleanup() {
    if [[ -n "$DEV_PID" ]] && kill -0 "$DEV_PID" 2>/dev/null; then
        kill -TERM "$DEV_PID" 2>/dev/null || true
        wait "$DEV_PID" 2>/dev/null || true
    fi
    [[ -n "${BO_KEEP_TMP:-}" ]] || rm -rf "$T"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for f in "$T"/*.log "$T"/*.err; do [[ -f "$f" ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
    exit 1
}

# start_device LOG ARGS...: bleota-device in the background, waits for its pty link.
start_device() {
    local log=$1
    shift
    "$B/bleota-device" "$@" >"$T/$log.log" 2>"$T/$log.err" &
    DEV_PID=$!
    for _ in $(seq 100); do
        [[ -e "$T/tty" ]] && return 0
        kill -0 "$DEV_PID" 2>/dev/null || fail "device exited early"
        sleep 0.1
    done
    fail "no serial link at $T/tty"
}

stop_device() {
    kill -TERM "$DEV_PID"
    wait "$DEV_PID" || fail "device did not exit cleanly on SIGTERM"
    DEV_PID=""
}

# wait_line LOG TEXT: the device printed exactly TEXT as a line (within 20 s).
wait_line() {
    for _ in $(seq 200); do
        grep -qxF "$2" "$T/$1.log" && return 0
        sleep 0.1
    done
    fail "device never printed '$2'"
}

# Build two versions of a small random firmware under a fresh key.
# a bootable vector table (SP at the top of the BZ2's RAM, Thumb reset handler inside), then
# random bytes: a random first byte ':' would make `image sign` read Intel HEX
{ printf '\x00\x00\x02\x20\x09\x02\x00\x01'; head -c 39992 /dev/urandom; } >"$T/fw.bin"
"$B/bleota" keygen -o "$T/key.pem" >/dev/null
"$B/bleota" pubkey "$T/key.pem" --format pem -o "$T/pub.pem"
"$B/bleota" image sign --key "$T/key.pem" --version 1.0.0.0 "$T/fw.bin" -o "$T/v1.signed.bin"
"$B/bleota" image sign --key "$T/key.pem" --version 2.0.0.0 "$T/fw.bin" -o "$T/v2.signed.bin"
"$B/bleota" image sign --key "$T/key.pem" --version 3.0.0.0 "$T/fw.bin" -o "$T/v3.signed.bin"

# --- 1. v1 -> v2 over serial DFU ------------------------------------------------------------
start_device a --flash "$T/flash.bin" --provision "$T/v1.signed.bin" --pubkey "$T/pub.pem" \
    --serial "$T/tty" --sdfu
wait_line a "boot: serial DFU (trigger)"
timeout 60 "$B/bleota" serial --port "$T/tty" "$T/v2.signed.bin" 2>"$T/serial1.err" ||
    fail "bleota serial failed"
wait_line a "boot: installed 2.0.0.0 from slot 1"
wait_line a "boot: running 2.0.0.0 from slot 0"
wait_line a "app: running 2.0.0.0"
stop_device
# the flash file persisted: a cold boot runs v2 again and installs nothing
out=$(timeout 30 "$B/bleota-device" --flash "$T/flash.bin" --pubkey "$T/pub.pem" --exit-after-boot 2>/dev/null)
[[ "$(head -1 <<<"$out")" == "boot: running 2.0.0.0 from slot 0" ]] || fail "cold boot: $out"

# --- 2. a tampered image is refused, v2 keeps running ---------------------------------------
cp "$T/v3.signed.bin" "$T/v3.bad.bin"
printf '\x5a' | dd of="$T/v3.bad.bin" bs=1 seek=1000 conv=notrunc status=none
start_device b --flash "$T/flash.bin" --pubkey "$T/pub.pem" --serial "$T/tty" --sdfu
wait_line b "boot: serial DFU (trigger)"
timeout 60 "$B/bleota" serial --port "$T/tty" --method sum "$T/v3.bad.bin" 2>"$T/serial2.err" ||
    fail "bleota serial (tampered image) failed"
wait_line b "boot: slot 1 refused: authentication failed (slot retired)"
wait_line b "boot: running 2.0.0.0 from slot 0"
stop_device

# an OTA file is not what serial DFU carries: refused before anything is sent
if "$B/bleota" serial --port "$T/none" "$FX/ble_Sensor_OTA.bin" 2>"$T/ota.err"; then
    fail "bleota serial accepted an OTA file"
fi
grep -q "OTA file" "$T/ota.err" || fail "unclear error for an OTA file: $(cat "$T/ota.err")"

# --- 3. the listening window after reset: no trigger, v3 sent while the device listens -----
start_device w --flash "$T/flash.bin" --pubkey "$T/pub.pem" --serial "$T/tty" --sdfu-window 1500
timeout 60 "$B/bleota" serial --port "$T/tty" "$T/v3.signed.bin" 2>"$T/serial_w.err" ||
    fail "bleota serial (window) failed"
wait_line w "boot: installed 3.0.0.0 from slot 1"
wait_line w "boot: running 3.0.0.0 from slot 0"
[[ $(grep -c '^boot: running' "$T/w.log") == 1 ]] || fail "window: the first boot ran an image before the window closed"
stop_device

# --- 4. Microchip's signed UART image on a device with Microchip's development key ----------
MCHP="$FX/ext_light.X.production.signed_1.0.0.1_uart.bin"
# FW_IMG_REV at 0x1C, little-endian: bytes d c b a
read -r d c b a < <(od -An -tu1 -j28 -N4 "$MCHP")
want="$a.$b.$c.$d"
start_device c --flash "$T/flash2.bin" --mchp-dev-keys --serial "$T/tty"
wait_line c "boot: no valid image, serial DFU (slot 0 is empty or not a valid image)"
timeout 90 "$B/bleota" serial --port "$T/tty" "$MCHP" 2>"$T/serial3.err" ||
    fail "bleota serial (Microchip image) failed"
wait_line c "boot: installed $want from slot 1"
wait_line c "boot: running $want from slot 0"
stop_device
echo "boot_serial_dfu: ok (v1 -> v2, tampered v3 refused, v3 in the window, Microchip image $want installed)"
