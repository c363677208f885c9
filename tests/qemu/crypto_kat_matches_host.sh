#!/usr/bin/env bash
# The crypto known answers (SHA-256, AES-128-CBC, ECDSA P-256: RFC 6979 / RFC 4754 vectors,
# malformed and truncated DER, r or s zero or >= n, wrong hash or key, off-curve keys, high-S
# twins) on the Cortex-M4 build of the crypto backends: the verdicts the host's
# crypto_kat_shared checks, from the same table (tests/crypto/crypto_kat.c).
source "$(dirname "$0")/lib.sh"
KAT=$M4/qemu-guest/qemu_crypto_kat.elf
[ -f "$KAT" ] || fail "missing $KAT: build the cortex-m4 configuration first"
rc=0
timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$KAT" >"$T/kat.log" 2>&1 </dev/null || rc=$?
[ "$rc" = 0 ] || fail "the known answers failed on the target (exit $rc)"
expect_log kat "crypto-kat: failed 0$"
n=$(sed -n 's/^crypto-kat: cases \([0-9]*\)$/\1/p' "$T/kat.log")
[ "${n:-0}" -gt 400 ] || fail "only ${n:-0} cases ran"
pass
