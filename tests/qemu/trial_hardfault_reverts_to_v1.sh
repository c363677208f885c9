#!/usr/bin/env bash
# A trial image that takes a HardFault before it confirms (demo_crash: its self-test calls a
# NULL callback) is reverted: with the watchdog armed, the port's HardFault handler does the
# guest-level reset into the bootloader (as a real chip's fault handler or watchdog would), the
# bootloader restores v1, which runs and serves OTA again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/trial_lib.sh"
trial_deliver "$M4/apps/demo/demo_crash.elf"
expect_reverted "^boot: running 2\.0\.0\.0 from slot 0 on trial$" "^app: build crash$" \
    "^app: self-test crashes$" "^fault: hard fault, reset into the bootloader$"
expect_no_log device "wdt: expired"
pass
