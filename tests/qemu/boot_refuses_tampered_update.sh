#!/usr/bin/env bash
# A slot 1 image with one flipped firmware bit, and one signed with another key, are refused by
# the bootloader; v1 stays in slot 0 and runs.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
cp "$T/v2.bin" "$T/v2-flipped.bin"
flip "$T/v2-flipped.bin" 1000 # firmware byte 488
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/other.pem" 2>/dev/null
sign 2.0.0.0 "$DEMO_B" "$T/v2-other-key.bin" "$T/other.pem"

for bad in v2-flipped v2-other-key; do
    rc=$(BO_QEMU_ARGS=halt qemu_run "$bad" -device loader,file="$T/v1.bin,addr=$SLOT0" \
        -device loader,file="$T/$bad.bin,addr=$SLOT1")
    [ "$rc" = 0 ] || fail "$bad: QEMU exited $rc"
    expect_log "$bad" "boot: slot 1 refused: authentication failed"
    expect_log "$bad" "app: running 1\.0\.0\.0"
    expect_log "$bad" "app: build a"
    expect_no_log "$bad" "installed|running 2\.0\.0\.0"
done

# A tampered image alone (slot 0): nothing runs, the bootloader stays in serial DFU.
cp "$T/v1.bin" "$T/v1-flipped.bin"
flip "$T/v1-flipped.bin" 600
BO_QEMU_ARGS=halt qemu_start alone -device loader,file="$T/v1-flipped.bin,addr=$SLOT0" -serial null
wait_log alone "boot: serial DFU on UART0" 20
expect_log alone "boot: no image in slot 0"
expect_no_log alone "app: running"
pass
