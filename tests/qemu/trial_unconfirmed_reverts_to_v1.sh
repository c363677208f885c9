#!/usr/bin/env bash
# A trial image that looks healthy (demo_noconfirm serves OTA) but never confirms, and so never
# feeds the watchdog (an application that knows nothing of trials), is reset when the trial's
# deadline (the watchdog period) ends; the bootloader restores v1, which runs and serves again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trial_lib.sh"
trial_deliver "$M4/apps/demo/demo_noconfirm.elf"
expect_reverted "^boot: running 2\.0\.0\.0 from slot 0 on trial$" "^app: build noconfirm$" \
    "^app: never confirms$" "^app: OTA service on UART0$" "^wdt: expired, reset into the bootloader$"
pass
