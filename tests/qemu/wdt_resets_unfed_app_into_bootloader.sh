#!/usr/bin/env bash
# The watchdog on the QEMU port: an application that arms it (200 ms) and stops feeding is
# back in the bootloader (its boot line printed again) when the period ends, through the
# watchdog's NMI and the guest-level reset; the reset disarmed it (the app then survives three
# unfed periods). -icount: SysTick and the watchdog both count the virtual clock, so the
# timing the app measures is exact whatever the host's load.
source "$(dirname "$0")/lib.sh"
APP=$M4/qemu-guest/qemu_wdt_app.elf
[ -f "$APP" ] || fail "missing $APP: build the cortex-m4 configuration first"
# permanent: the bootloader's trial handling (which may arm the watchdog itself) stays out of it
"$BIN/bleota" image sign --key "$KEYS/signing.pem" --version 1.0.0.0 --permanent \
    --base "$APP_BASE" "$APP" -o "$T/wdt.bin" >"$T/sign.log" 2>&1 || fail "bleota image sign failed"
rc=$(BO_QEMU_ARGS=wdt=starve qemu_run wdt -icount shift=3 \
    -device loader,file="$T/wdt.bin,addr=$SLOT0")
[ "$rc" = 0 ] || fail "QEMU exited $rc (the number of the failed check, see tests/qemu/guest/wdt_app.c)"
[ "$(grep -c '^boot: bleota bootloader' "$T/wdt.log")" = 2 ] || fail "the bootloader did not start exactly twice"
# in this order: armed, expired, the bootloader again, the app back in time, still running
grep -E '^(boot: bleota bootloader|wdt-app: (armed|back|the reset)|wdt: expired)' "$T/wdt.log" \
    | sed 's/[,:;] .*//' >"$T/order.txt"
printf '%s\n' "boot" "wdt-app" "wdt" "boot" "wdt-app" "wdt-app" >"$T/want.txt"
diff "$T/want.txt" "$T/order.txt" >/dev/null || fail "unexpected order of events: $(tr '\n' ' ' <"$T/order.txt")"
expect_log wdt "wdt-app: back after the watchdog reset; alive ms after arming: (198|199|200)$"
expect_log wdt "wdt-app: the reset disarmed the watchdog"
pass
