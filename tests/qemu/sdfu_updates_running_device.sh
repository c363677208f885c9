#!/usr/bin/env bash
# Serial DFU on a device that runs v1, through BZ2's timer trigger (dfu-window=MS): the
# bootloader listens on UART0 (a pty) before booting; `bleota serial` catches the window,
# writes v2 into slot 1 and sends RESET; after the next (quiet) window the bootloader
# authenticates and installs v2, which runs. v1 never starts.
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"

BO_QEMU_ARGS="dfu-window=6000 halt-at=2.0.0.0" qemu_start device \
    -device loader,file="$T/v1.bin,addr=$SLOT0" -serial pty
wait_log device "boot: serial DFU window on UART0" 20
pty=$(sed -n 's/.*char device redirected to \(\/dev\/[^ ]*\).*/\1/p' "$T/device.log" | head -n 1)
[ -n "$pty" ] || fail "QEMU did not say which pty carries UART0"

rc=0
timeout 120 "$BIN/bleota" serial --port "$pty" "$T/v2.bin" >"$T/serial.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "bleota serial exited $rc"
qemu_wait "$QEMU_PID" 60
[ "$QEMU_RC" = 0 ] || fail "QEMU exited $QEMU_RC"
expect_log device "boot: installed slot 1 into slot 0"
expect_log device "app: running 2\.0\.0\.0"
expect_no_log device "app: running 1\.0\.0\.0"
pass
