#!/usr/bin/env bash
# A good trial image (demo_b) confirms at start and feeds the watchdog in its loop: it serves
# for 1000 ms (the demo's RESET_AFTER_MS, 2.5 trial periods) with the watchdog armed and is not
# reset by it; then it resets itself into the bootloader three times (reset-at=2.0.0.0:3, the
# port's sys reset). Every boot runs v2, never on trial again and never reverted, and v2 answers
# over the link at the end.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trial_lib.sh"
trial_deliver "$DEMO_B" "reset-at=2.0.0.0:3"
wait_order 30 "^boot: running 2\.0\.0\.0 from slot 0 on trial$" "^app: build b$" \
    "^app: image confirmed: ok$" "^app: OTA service on UART0$" "^app: reset into the bootloader$" \
    "^boot: running 2\.0\.0\.0 from slot 0$" "^app: reset into the bootloader$" \
    "^boot: running 2\.0\.0\.0 from slot 0$" "^app: reset into the bootloader$" \
    "^boot: running 2\.0\.0\.0 from slot 0$" "^app: build b$" "^app: OTA service on UART0$"
[ "$(count '^app: reset into the bootloader$')" = 3 ] || fail "not exactly three resets"
[ "$(count '^boot: running 2\.0\.0\.0 from slot 0$')" = 3 ] || fail "v2 did not boot three more times"
[ "$(count 'on trial$')" = 1 ] || fail "v2 started on trial more than once"
[ "$(count '^app: image confirmed')" = 1 ] || fail "v2 confirmed more than once"
expect_no_log device "wdt: expired"
expect_no_log device "not confirmed"
expect_no_log device "fault:"
device_runs 2.0.0.0
pass
