# shellcheck shell=bash disable=SC2034
# Shared helpers of the QEMU tests (sourced). Environment:
#   BO_M4_BUILD_DIR  the Cortex-M4 build (bootloader, demo, qemu-keys/)   [required]
#   BO_BIN           host tools (bleota)                                  [build/bin]
#   BO_TMP           scratch space                                        [/tmp]
# Every QEMU runs under `timeout`, and every QEMU a test started is killed (by its pid) when
# the test exits, whatever the outcome. A failing test prints the logs it collected.
set -euo pipefail

M4=${BO_M4_BUILD_DIR:?BO_M4_BUILD_DIR must name the Cortex-M4 build directory}
BIN=${BO_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin}
BOOT=$M4/apps/bootloader/bootloader.elf
DEMO_A=$M4/apps/demo/demo_a.elf
DEMO_B=$M4/apps/demo/demo_b.elf
KEYS=$M4/qemu-keys
QEMU_TIMEOUT=${BO_QEMU_TIMEOUT:-60}
SLOT0=0x00010000
SLOT1=0x00090000
APP_BASE=0x00010200

mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/qemu.XXXXXX") # short: a Unix socket lives in it
QEMU_PIDS=()
TEST_OK=0

_cleanup() {
    local p
    for p in "${QEMU_PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    if [ "$TEST_OK" = 1 ]; then
        rm -rf "$T"
    else
        for f in "$T"/*.log; do
            [ -f "$f" ] && { echo "---- $f"; cat "$f"; }
        done
        echo "(files kept in $T)"
    fi
    return 0
}
trap _cleanup EXIT
trap 'exit 143' TERM INT HUP # so that a ctest timeout still runs the cleanup

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $(basename "$0" .sh)"; TEST_OK=1; }

for f in "$BOOT" "$DEMO_A" "$DEMO_B" "$KEYS/signing.pem"; do
    [ -f "$f" ] || fail "missing $f: build the cortex-m4 configuration first"
done
command -v qemu-system-arm >/dev/null || fail "qemu-system-arm is not installed (make deps)"

# qemu_argv ARGS...: QEMU_ARGV = the board with semihosting on, under `timeout`, plus ARGS;
# the firmware gets its arguments from BO_QEMU_ARGS (space separated, e.g. "halt").
qemu_argv() {
    local sh="enable=on,target=native,arg=bleota" a
    for a in ${BO_QEMU_ARGS:-}; do sh="$sh,arg=$a"; done
    QEMU_ARGV=(timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -monitor none
        -semihosting-config "$sh" -kernel "$BOOT" "$@")
}

# qemu_run LOG ARGS...: runs to the end; prints the exit status (124 = timed out).
qemu_run() {
    local log=$1 rc=0
    shift
    qemu_argv "$@"
    "${QEMU_ARGV[@]}" >"$T/$log.log" 2>&1 </dev/null || rc=$?
    echo "$rc"
}

# qemu_start LOG ARGS...: in the background; the pid is in QEMU_PID (and killed at exit).
qemu_start() {
    local log=$1
    shift
    qemu_argv "$@"
    "${QEMU_ARGV[@]}" >"$T/$log.log" 2>&1 </dev/null &
    QEMU_PID=$!
    QEMU_PIDS+=("$QEMU_PID")
}

# start_ota_device V1_IMAGE [QEMU-ARGS...]: the bootloader and V1_IMAGE in slot 0, UART0 on a
# free TCP port ($port; QEMU refuses a taken one, so a few are tried) until the demo's OTA
# service listens (log "device"). BO_QEMU_ARGS applies as for qemu_start.
start_ota_device() {
    local img=$1 i
    shift
    for _ in 1 2 3 4 5; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        qemu_start device -device loader,file="$img,addr=$SLOT0" \
            -serial tcp:127.0.0.1:"$port",server=on,wait=off "$@"
        for ((i = 0; i < 100; i++)); do
            has_log device "app: OTA service on UART0|Failed to bind|Address already in use" && break
            kill -0 "$QEMU_PID" 2>/dev/null || break
            sleep 0.1
        done
        has_log device "app: OTA service on UART0" && break
        kill "$QEMU_PID" 2>/dev/null || true
    done
    wait_log device "app: OTA service on UART0" 1
}

# update_over_link FILE: `bleota update` of FILE to the device of start_ota_device (output in
# $T/update.log), then the device (halt-at=...) runs to its end: both must succeed.
update_over_link() {
    local rc=0
    timeout 120 "$BIN/bleota" update --to "tcp:127.0.0.1:$port" "$1" >"$T/update.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || fail "bleota update of $(basename "$1") exited $rc: $(tail -2 "$T/update.log")"
    qemu_wait "$QEMU_PID" 60
    [ "$QEMU_RC" = 0 ] || fail "QEMU exited $QEMU_RC"
}

# qemu_wait PID SECS: waits for that QEMU to exit; its status goes to QEMU_RC (124 if it had
# to be killed). Not in $(...): only this shell can wait for its children.
qemu_wait() {
    local pid=$1 secs=$2 i
    QEMU_RC=0
    for ((i = 0; i < secs * 10; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" || QEMU_RC=$?
            return 0
        fi
        sleep 0.1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
    QEMU_RC=124
}

# wait_log LOG PATTERN SECS: until the log has a line matching PATTERN (grep -E).
wait_log() {
    local log=$T/$1.log pattern=$2 secs=${3:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        grep -qE -- "$pattern" "$log" 2>/dev/null && return 0
        sleep 0.1
    done
    fail "timed out after ${secs}s waiting for '$pattern' in $1.log"
}

has_log() { grep -qE -- "$2" "$T/$1.log" 2>/dev/null; }
expect_log() { has_log "$1" "$2" || fail "$1.log lacks '$2'"; }
expect_no_log() { ! has_log "$1" "$2" || fail "$1.log unexpectedly has '$2'"; }

# sign VERSION ELF OUT [KEY]: a signed image (metadata header + firmware) of an app ELF.
sign() {
    "$BIN/bleota" image sign --key "${4:-$KEYS/signing.pem}" --version "$1" --base "$APP_BASE" \
        "$2" -o "$3" >"$T/sign-$1.log" 2>&1 || fail "bleota image sign $1 failed"
}

# ota SIGNED OUT: the encrypted BLE OTA file with the board's AES key.
ota() {
    "$BIN/bleota" image ota --aes-key "$(cat "$KEYS/aes.hex")" --aes-iv "$(cat "$KEYS/aes-iv.hex")" \
        "$1" -o "$2" >"$T/ota.log" 2>&1 || fail "bleota image ota failed"
}

# flip FILE OFFSET: inverts one bit.
flip() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
