#!/usr/bin/env bash
# The port on the emulated board: NOR rules of the flash driver (incl. content present at power-on
# and the state kept across the guest-level reset), SysTick, UART0 RX/TX, semihosting arguments.
source "$(dirname "$0")/lib.sh"
SELFTEST=$M4/qemu-guest/qemu_port_selftest.elf
head -c 64 /dev/urandom | tr '\377' '\001' >"$T/blob.bin" # never all 0xFF or all 0x00
printf 'ping' >"$T/uart.in"
rc=0
timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -monitor none \
    -semihosting-config enable=on,target=native,arg=selftest,arg=selftest \
    -serial stdio -kernel "$SELFTEST" -device loader,file="$T/blob.bin",addr=0x000B0000 \
    >"$T/uart.out" 2>"$T/selftest.log" <"$T/uart.in" || rc=$?
[ "$rc" = 0 ] || fail "self-test exited $rc (the number of the failed check)"
expect_log selftest "selftest: passed"
grep -q pong "$T/uart.out" || fail "UART0 output missing"
pass
