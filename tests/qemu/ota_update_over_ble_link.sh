#!/usr/bin/env bash
# The whole update on the emulated Cortex-M4: v1 boots; `bleota info` reads 1.0.0.0 over the
# link; `bleota update --to tcp:...` (a second session on the same UART) sends the
# encrypted v2 over the BLE framing on UART0; the demo decrypts and programs slot 1, asks the
# bootloader's exported authenticate (ECDSA P-256) on Update Complete, resets into the
# bootloader on Reset Request; the bootloader authenticates and installs v2, which prints its
# version and exits 0 through semihosting (halt-at=2.0.0.0). The demo runs the integration every
# bleota device ships (bo_ota_att with bo_ota_att_defaults): its window is the shipped automatic
# one, sized by the MTU it reports (62464 bytes at MTU 247 for bleota's opted-in client).
source "$(dirname "$0")/lib.sh"
arm-none-eabi-nm "$DEMO_A" >"$T/demo.syms"
for sym in bo_ota_att_defaults bo_ota_att_init bo_ota_att_pdu bo_ota_att_idle; do
    grep -q " T $sym\$" "$T/demo.syms" || fail "the demo does not link $sym"
done
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
ota "$T/v2.bin" "$T/v2.ota"

BO_QEMU_ARGS=halt-at=2.0.0.0 start_ota_device "$T/v1.bin"
expect_log device "app: running 1\.0\.0\.0"

# A first client reads the running version over the link (DIS); the update is a second session.
rc=0
timeout 60 "$BIN/bleota" info --to "tcp:127.0.0.1:$port" >"$T/info.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "bleota info exited $rc"
grep -q "1\.0\.0\.0" "$T/info.log" || fail "bleota info did not report 1.0.0.0"

update_over_link "$T/v2.ota"
grep -q "accepted: device runs 1\.0\.0\.0, window 62464 bytes" "$T/update.log" ||
    fail "the demo did not offer the shipped window for MTU 247"
expect_log device "app: update validated 2\.0\.0\.0"
expect_log device "boot: installed slot 1 into slot 0"
expect_log device "app: running 2\.0\.0\.0"
expect_log device "app: build b"
pass
