#!/usr/bin/env bash
# v1 in slot 0, v2 in slot 1 (loaded as files): the bootloader authenticates v2 with ECDSA P-256,
# installs it into slot 0 and jumps to it; v2 (the other build) prints its version; exit 0
# through semihosting.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
rc=$(BO_QEMU_ARGS=halt qemu_run boot -device loader,file="$T/v1.bin,addr=$SLOT0" \
    -device loader,file="$T/v2.bin,addr=$SLOT1")
[ "$rc" = 0 ] || fail "QEMU exited $rc"
expect_log boot "boot: installed slot 1 into slot 0"
expect_log boot "boot: running 2\.0\.0\.0"
expect_log boot "app: running 2\.0\.0\.0"
expect_log boot "app: build b"
expect_no_log boot "app: running 1\.0\.0\.0"

# Only v1, nothing in slot 1: v1 runs, nothing is installed.
rc=$(BO_QEMU_ARGS=halt qemu_run boot-v1 -device loader,file="$T/v1.bin,addr=$SLOT0")
[ "$rc" = 0 ] || fail "QEMU (v1 only) exited $rc"
expect_log boot-v1 "app: running 1\.0\.0\.0"
expect_no_log boot-v1 "installed"
pass
