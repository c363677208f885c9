#!/usr/bin/env bash
# boot_downgrade_after_cut: the verified downgrade of issue 11 no longer works. Slot 0 runs v3
# (its first boot recorded the version floor); a genuine v4 is written into slot 1 over serial
# DFU; power fails before every flash operation of the v3 -> v4 install in turn (clean, and torn
# for every other one); at the next power-up the DFU trigger is held and an attacker writes the
# old, genuinely signed v1 over serial. The device never runs anything older than v3: recovery
# finishes the install before serial DFU, and the floor refuses v1.
set -euo pipefail
B=${BO_BIN:?BO_BIN not set}
mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/boot_downgrade_after_cut.XXXXXX")
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
    for f in "$T"/*.log "$T"/*.err; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done
    exit 1
}

# serial_session LOG IMAGE ARGS...: a device with the trigger held, IMAGE written over serial
# (then RESET unless ARGS say --no-reset); the device is stopped afterwards.
serial_session() {
    local log=$1 img=$2
    shift 2
    rm -f "$T/tty"
    "$B/bleota-device" --flash "$T/flash.bin" --pubkey "$T/pub.pem" --serial "$T/tty" --sdfu \
        >"$T/$log.log" 2>"$T/$log.err" &
    DEV_PID=$!
    for _ in $(seq 100); do [[ -e "$T/tty" ]] && break; sleep 0.05; done
    timeout 60 "$B/bleota" serial --quiet --port "$T/tty" "$img" "$@" >/dev/null 2>"$T/$log.serial.err" ||
        fail "bleota serial ($log) failed"
    if [[ " $* " != *" --no-reset "* ]]; then # wait for the boot after RESET
        for _ in $(seq 200); do grep -q "^app: running\|^boot: no valid image" "$T/$log.log" && break; sleep 0.05; done
    fi
    kill -TERM "$DEV_PID"
    wait "$DEV_PID" || true
    DEV_PID=""
}

{ printf '\x00\x00\x02\x20\x09\x02\x00\x01'; head -c 8184 /dev/urandom; } >"$T/fw.bin"
"$B/bleota" keygen -o "$T/key.pem" >/dev/null
"$B/bleota" pubkey "$T/key.pem" --format pem -o "$T/pub.pem"
for v in 1 3 4; do
    "$B/bleota" image sign --key "$T/key.pem" --version "$v.0.0.0" --permanent "$T/fw.bin" \
        -o "$T/v$v.bin" >/dev/null
done

# v3 runs and records the floor; then v4 waits in slot 1 (no reset yet)
"$B/bleota-device" --flash "$T/flash.bin" --provision "$T/v3.bin" --pubkey "$T/pub.pem" \
    --exit-after-boot >"$T/first.log" 2>"$T/first.err" || fail "v3 did not boot"
serial_session stage "$T/v4.bin" --no-reset
cp "$T/flash.bin" "$T/base.bin"

# the uncut install: how many flash operations it takes
"$B/bleota-device" --flash "$T/flash.bin" --pubkey "$T/pub.pem" --exit-after-boot \
    >"$T/uncut.log" 2>"$T/uncut.err" || fail "the uncut install failed"
grep -qx "boot: running 4.0.0.0 from slot 0" "$T/uncut.log" || fail "the uncut install did not run v4"
ops=$(sed -n 's/^bleota-device: flash: \([0-9]*\) erases, \([0-9]*\) programs$/\1 \2/p' "$T/uncut.err" |
    awk '{print $1 + $2}')
((ops > 3)) || fail "too few flash operations counted: '$ops'"

runs=0 v3=0 v4=0
for ((n = 1; n <= ops; n++)); do
    for torn in "" 1; do
        [[ -n "$torn" && $((n % 2)) == 0 ]] && continue
        cp "$T/base.bin" "$T/flash.bin"
        BO_DEVICE_CUT_AT=$n BO_DEVICE_CUT_TORN=$torn "$B/bleota-device" --flash "$T/flash.bin" \
            --pubkey "$T/pub.pem" --exit-after-boot >"$T/cut.log" 2>"$T/cut.err" || true
        serial_session attack "$T/v1.bin"
        runs=$((runs + 1))
        grep -q "^app: running 1\." "$T/attack.log" && fail "cut at op $n${torn:+ (torn)}: v1 ran"
        grep -q "^boot: running 1\." "$T/attack.log" && fail "cut at op $n${torn:+ (torn)}: v1 booted"
        if grep -q "^app: running 4.0.0.0" "$T/attack.log"; then
            v4=$((v4 + 1))
        elif grep -q "^app: running 3.0.0.0" "$T/attack.log"; then
            v3=$((v3 + 1))
        else
            fail "cut at op $n${torn:+ (torn)}: nothing authentic ran after the attack"
        fi
        grep -q "older than the version floor" "$T/attack.log" ||
            fail "cut at op $n${torn:+ (torn)}: v1 was not refused by the floor"
    done
done
echo "boot_downgrade_after_cut: $ops flash operations in the install, $runs cut runs then v1 over serial: v4 ran $v4, v3 ran $v3, v1 never"
