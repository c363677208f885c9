#!/usr/bin/env bash
# A trial image that hangs before it confirms (demo_hang: its self-test never returns, so it
# never feeds the watchdog) is reset by the watchdog the bootloader armed for it (its NMI, the
# guest-level reset); the bootloader restores v1, which runs and serves OTA again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trial_lib.sh"
trial_deliver "$M4/apps/demo/demo_hang.elf"
expect_reverted "^boot: running 2\.0\.0\.0 from slot 0 on trial$" "^app: build hang$" \
    "^app: self-test hangs$" "^wdt: expired, reset into the bootloader$"
pass
