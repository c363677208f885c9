# Shared by the ota_ble_* integration tests (sourced; not a test itself).
# Needs BO_BIN, BO_FIXTURES, BO_TMP from ctest (cmake/testing.cmake). Every wait is bounded.
set -euo pipefail
B=${BO_BIN:?BO_BIN not set}
FX=${BO_FIXTURES:?BO_FIXTURES not set}
mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/${OTA_TEST:-ota}.XXXXXX")
SOCK="$T/ble.sock"
if ((${#SOCK} > 100)); then # a Unix socket path must fit sun_path (108 bytes)
    SOCK=$(mktemp -u /tmp/bo_ble.XXXXXX)
fi
DEV_PID=""
DEV_LOG=""
DEV_ENV=() # VAR=VALUE settings for the next start_dev (the device's test knobs, see app_ble.h)

cleanup() {
    if [[ -n "$DEV_PID" ]] && kill -0 "$DEV_PID" 2>/dev/null; then
        kill -TERM "$DEV_PID" 2>/dev/null || true
        wait "$DEV_PID" 2>/dev/null || true
    fi
    rm -f "$SOCK"
    [[ -n "${BO_KEEP_TMP:-}" ]] || rm -rf "$T"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for f in "$T"/*.log "$T"/*.err "$T"/*.out; do [[ -s "$f" ]] && { echo "--- $f" >&2; tail -40 "$f" >&2; }; done
    exit 1
}
# set -e ends the test silently; say which command of the test script failed. (Top level only:
# errtrace would also fire inside the helpers' command substitutions, where a failing grep -c is
# expected. The helpers below check their own steps.)
trap 'fail "line $LINENO: \"$BASH_COMMAND\" exited with status $?"' ERR

# start_dev NAME ARGS...: bleota-device with --ble $SOCK in the background, environment
# DEV_ENV; waits until the BLE side listens.
start_dev() {
    local name=$1
    shift
    DEV_LOG="$T/$name"
    rm -f "$SOCK"
    env "${DEV_ENV[@]}" "$B/bleota-device" --ble "$SOCK" "$@" >"$DEV_LOG.log" 2>"$DEV_LOG.err" &
    DEV_PID=$!
    for _ in $(seq 100); do
        grep -q "^ble: listening on" "$DEV_LOG.err" 2>/dev/null && [[ -S "$SOCK" ]] && return 0
        kill -0 "$DEV_PID" 2>/dev/null || fail "device exited early"
        sleep 0.1
    done
    fail "device never listened on $SOCK"
}

stop_dev() {
    kill -TERM "$DEV_PID"
    wait "$DEV_PID" || fail "device did not exit cleanly on SIGTERM"
    DEV_PID=""
}

# dev_line TEXT: the device printed the line TEXT (stdout or its ble: log) within 20 s.
dev_line() {
    for _ in $(seq 200); do
        grep -qxF "$1" "$DEV_LOG.log" "$DEV_LOG.err" && return 0
        sleep 0.1
    done
    fail "device never printed '$1'"
}

# dev_lines TEXT N: the device printed the line TEXT at least N times (within 20 s).
dev_lines() {
    for _ in $(seq 200); do
        (($(cat "$DEV_LOG.log" "$DEV_LOG.err" | grep -cxF "$1") >= $2)) && return 0
        sleep 0.1
    done
    fail "device printed '$1' fewer than $2 times"
}

# version_is V: `bleota info` reports V (retries while the device reboots).
version_is() {
    local got=""
    for _ in $(seq 50); do
        got=$(timeout 20 "$B/bleota" info --to "sim:$SOCK" 2>>"$T/info.err" || true)
        [[ "$got" == "firmware revision: $1" ]] && return 0
        sleep 0.1
    done
    fail "bleota info: want '$1', got '$got'"
}

# update OUT ARGS...: runs `bleota update --to sim:$SOCK ARGS`, output in $T/OUT.out/.err;
# sets RC to its exit code.
update() {
    local out=$1
    shift
    RC=0
    timeout 120 "$B/bleota" update --to "sim:$SOCK" "$@" >"$T/$out.out" 2>"$T/$out.err" || RC=$?
}

# expect_rc WANT WHAT: the last update exited with WANT.
expect_rc() {
    [[ "$RC" == "$1" ]] || fail "$2: exit code $RC, want $1 ($(cat "$T"/*.err | tail -3))"
}

# update_refused OUT FILE REASON: sending FILE does not report success and the device says
# "ble: update refused: REASON".
update_refused() {
    update "$1" "$2"
    [[ "$RC" != 0 ]] || fail "$1: the refused update reported success"
    dev_line "ble: update refused: $3"
}

# stop_dev_untouched WHAT: stop the device; since it started it erased and programmed nothing.
stop_dev_untouched() {
    stop_dev
    grep -q "^bleota-device: flash: 0 erases, 0 programs" "$DEV_LOG.err" ||
        fail "$1 cost flash operations: $(grep 'flash:' "$DEV_LOG.err")"
}

# drop_after D FILE TOTAL: an update of FILE whose link drops after D bytes exits 3 having sent
# SENT bytes, at least D and fewer than TOTAL (the payload), and the device saw the disconnect.
drop_after() {
    update "drop$1" --drop-after "$1" "$2"
    expect_rc 3 "drop after $1"
    SENT=$(sed -n 's/^start index 0, sent \([0-9]*\) bytes$/\1/p' "$T/drop$1.out")
    [[ -n "$SENT" && "$SENT" -ge "$1" && "$SENT" -lt "$3" ]] || fail "drop $1: sent '$SENT'"
    dev_line "ble: update aborted (disconnect)"
}

# resume_after D FILE: the `--resume` update after drop_after D succeeds; START is the index it
# started from, RESENT the bytes it sent.
resume_after() {
    update "resume$1" --resume "$2"
    expect_rc 0 "resume after a drop at $1"
    START="" RESENT=""
    read -r START RESENT < <(sed -n 's/^start index \([0-9]*\), sent \([0-9]*\) bytes$/\1 \2/p' \
        "$T/resume$1.out") || true
    [[ -n "$START" ]] || fail "resume $1: no start index line"
}

hex16() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

# make_keys: a signing key pair and an AES key/IV of this device.
make_keys() {
    "$B/bleota" keygen -o "$T/key.pem" >/dev/null 2>"$T/keygen.err" || fail "bleota keygen failed"
    "$B/bleota" pubkey "$T/key.pem" --format pem -o "$T/pub.pem" 2>"$T/pubkey.err" ||
        fail "bleota pubkey failed"
    AES_KEY=$(hex16)
    AES_IV=$(hex16)
}

# random_fw FILE SIZE: SIZE bytes of firmware (SIZE >= 1024): a bootable Cortex-M vector table
# (initial SP 0x20020000, the top of the BZ2's RAM; reset vector 0x01000301, Thumb, inside the
# image), then random bytes. Never random from the first byte: `bleota image sign` tells raw
# binary, Intel HEX (first byte ':') and ELF apart by content, and 1 random file in 256 starts
# with ':' and is refused as a broken Intel HEX file.
random_fw() {
    { printf '\x00\x00\x02\x20\x01\x03\x00\x01'; head -c $(($2 - 8)) /dev/urandom; } >"$1"
}

# make_image NAME VERSION [KEY]: firmware signed for VERSION (same firmware size, new bytes),
# $T/NAME.signed and its encrypted OTA file $T/NAME.ota (the device's AES key).
make_image() {
    local key=${3:-$T/key.pem}
    random_fw "$T/$1.fw" 24000
    "$B/bleota" image sign --key "$key" --version "$2" "$T/$1.fw" -o "$T/$1.signed" \
        >/dev/null 2>"$T/sign_$1.err" || fail "bleota image sign $1 failed"
    "$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/$1.signed" -o "$T/$1.ota" \
        >/dev/null 2>"$T/ota_$1.err" || fail "bleota image ota $1 failed"
}

# payload_len FILE: bytes after the 16-byte OTA header.
payload_len() { echo $(($(stat -c %s "$1") - 16)); }

# start_v1 NAME: a fresh device provisioned with v1 (own key pair and AES key); DEV_ENV applies.
start_v1() {
    rm -f "$T/flash.nor"
    start_dev "$1" --flash "$T/flash.nor" --provision "$T/v1.signed" --pubkey "$T/pub.pem" \
        --aes-key "$AES_KEY" --aes-iv "$AES_IV"
}

# restart_dev NAME: stop the device and boot it again from the same flash; DEV_ENV applies.
restart_dev() {
    stop_dev
    start_dev "$1" --flash "$T/flash.nor" --pubkey "$T/pub.pem" --aes-key "$AES_KEY" --aes-iv "$AES_IV"
}
