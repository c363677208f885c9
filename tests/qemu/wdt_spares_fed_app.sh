#!/usr/bin/env bash
# The watchdog on the QEMU port: an application that arms it (200 ms) and feeds it every 50 ms
# runs for five periods without a reset: one boot, no expiry.
source "$(dirname "$0")/lib.sh"
APP=$M4/qemu-guest/qemu_wdt_app.elf
[ -f "$APP" ] || fail "missing $APP: build the cortex-m4 configuration first"
# permanent: the bootloader's trial handling (which may arm the watchdog itself) stays out of it
"$BIN/bleota" image sign --key "$KEYS/signing.pem" --version 1.0.0.0 --permanent \
    --base "$APP_BASE" "$APP" -o "$T/wdt.bin" >"$T/sign.log" 2>&1 || fail "bleota image sign failed"
rc=$(BO_QEMU_ARGS=wdt=feed qemu_run wdt -icount shift=3 \
    -device loader,file="$T/wdt.bin,addr=$SLOT0")
[ "$rc" = 0 ] || fail "QEMU exited $rc (the number of the failed check, see tests/qemu/guest/wdt_app.c)"
expect_log wdt "wdt-app: fed without a reset for ms 1000"
[ "$(grep -c '^boot: bleota bootloader' "$T/wdt.log")" = 1 ] || fail "the bootloader started again"
expect_no_log wdt "wdt: expired"
pass
