# shellcheck shell=bash
# Shared by the trial tests (sourced after lib.sh). v1 (demo_a, signed --permanent) is the
# factory image in slot 0. v2, a trial image (the default of `bleota image sign`), arrives the
# way qemu_ota_update_over_ble_link delivers updates: `bleota update` over the BLE framing on
# UART0 (here a Unix socket). The demo resets into the bootloader, which swaps v2 in (v1 saved
# in slot 1), arms the watchdog for TRIAL_WDT_MS and starts v2 on trial. What v2 does then is
# the test's.
#
# -icount: SysTick and the watchdog count instructions, not host time, so a busy host cannot
# make the good image miss its deadline (or a bad one beat it).
TRIAL_WDT_MS=400 # trial-wdt=: the trial's deadline (the bootloader's default is 5000 ms)

# trial_deliver V2_ELF [DEMO_ARGS]: the device runs in QEMU_PID (log "device") and v2 has been
# started on trial.
trial_deliver() {
    local v2=$1 rc=0
    [ -f "$v2" ] || fail "missing $v2: build the cortex-m4 configuration first"
    "$BIN/bleota" image sign --key "$KEYS/signing.pem" --version 1.0.0.0 --permanent \
        --base "$APP_BASE" "$DEMO_A" -o "$T/v1.bin" >"$T/sign-v1.log" 2>&1 ||
        fail "bleota image sign v1 failed"
    sign 2.0.0.0 "$v2" "$T/v2.bin"
    ota "$T/v2.bin" "$T/v2.ota"
    BO_QEMU_ARGS="trial-wdt=$TRIAL_WDT_MS ${2:-}" qemu_start device -icount shift=3 \
        -device loader,file="$T/v1.bin,addr=$SLOT0" -serial unix:"$T/ble.sock",server=on,wait=off
    wait_log device "app: OTA service on UART0" 20
    expect_log device "^app: running 1\.0\.0\.0$"
    timeout 120 "$BIN/bleota" update --to "unix:$T/ble.sock" "$T/v2.ota" >"$T/update.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || fail "bleota update exited $rc"
    wait_log device "^boot: running 2\.0\.0\.0 from slot 0 on trial$" 20
}

# count PATTERN: lines of the device log matching it.
count() { grep -cE -- "$1" "$T/device.log" || true; }

# has_order PATTERN...: the device log has lines matching these, in this order (others may come
# between); prints the first one missing otherwise.
has_order() { # patterns through the environment: awk -v would eat their backslashes
    PATS="$(printf '%s\n' "$@")" awk '
        BEGIN { n = split(ENVIRON["PATS"], p, "\n"); i = 1 }
        i <= n && $0 ~ p[i] { i++ }
        END { if (i <= n) { print p[i]; exit 1 } }' "$T/device.log"
}

# wait_order SECS PATTERN...: until has_order; QEMU must stay up meanwhile.
wait_order() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 10; i++)); do
        has_order "$@" >/dev/null && return 0
        kill -0 "$QEMU_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "device.log: no '$(has_order "$@")' where expected (after ${secs} s)"
}

# device_runs VERSION: the device answers over the link (a new session) with that version.
device_runs() {
    local rc=0
    timeout 60 "$BIN/bleota" info --to "unix:$T/ble.sock" >"$T/info.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || fail "bleota info exited $rc"
    grep -q "${1//./\\.}" "$T/info.log" || fail "bleota info did not report $1"
}

# expect_reverted: after v2 went wrong (lines before it: the test's), the bootloader restored
# v1, which runs and serves again; v2 ran once, on trial, and never confirmed.
expect_reverted() {
    wait_order 30 "$@" \
        "^boot: bleota bootloader$" \
        "^boot: the trial image was not confirmed: previous image restored$" \
        "^boot: running 1\.0\.0\.0 from slot 0$" "^app: running 1\.0\.0\.0$" "^app: build a$" \
        "^app: OTA service on UART0$"
    [ "$(count '^app: running 2\.0\.0\.0$')" = 1 ] || fail "v2 did not run exactly once"
    [ "$(count 'on trial$')" = 1 ] || fail "an image started on trial more than once"
    expect_no_log device "app: image confirmed"
    device_runs 1.0.0.0
}
