#!/usr/bin/env bash
# Serial DFU on the emulated board: with nothing in slot 0 the bootloader runs the serial
# executive on UART0 (a pty here); `bleota serial` writes v1 into slot 1 (at BZ2's address
# 0x01080000, which this board maps onto its slot 1) and sends RESET; the bootloader
# authenticates and installs v1, which runs and exits 0.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"

BO_QEMU_ARGS=halt qemu_start device -serial pty
wait_log device "boot: serial DFU on UART0" 20
pty=$(sed -n 's/.*char device redirected to \(\/dev\/[^ ]*\).*/\1/p' "$T/device.log" | head -n 1)
[ -n "$pty" ] || fail "QEMU did not say which pty carries UART0"

rc=0
timeout 120 "$BIN/bleota" serial --port "$pty" "$T/v1.bin" >"$T/serial.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "bleota serial exited $rc"
qemu_wait "$QEMU_PID" 60
[ "$QEMU_RC" = 0 ] || fail "QEMU exited $QEMU_RC"
expect_log device "boot: installed slot 1 into slot 0"
expect_log device "boot: running 1\.0\.0\.0"
expect_log device "app: running 1\.0\.0\.0"
pass
