#!/usr/bin/env bash
# Acceptance 4 (issue 14): the bootloader's own bytes (bootloader.bin) answer the call Microchip's
# application makes: a function pointer built from 0x5001, slot 1, a 3 244-byte buffer.
# qemu-system-arm -M mps3-an547 has RAM at BZ2's addresses (code at 0x0, 2 MiB at 0x01000000,
# data at 0x20000000), so the image runs unchanged: the caller (tests/pic32cxbz2/abi) owns the
# vector table; the bootloader is loaded from 0xE0 on; slot images at 0x01000000 / 0x01080000.
# An authentic image (Microchip-style, both signatures ECDSA, signed with this build's key) and
# a copy with one firmware byte changed, in both slots in turn; slot 2 is refused; the call uses
# at most Microchip's 3.5 KiB of the caller's stack and no RAM of the caller outside it.
source "$(dirname "$0")/lib.sh"
BIN=${BO_BIN:?BO_BIN must name the host tools directory}
CALLER=$B/pic32cxbz2-abi/abi_caller.elf
[ -f "$CALLER" ] || fail "missing $CALLER"
command -v qemu-system-arm >/dev/null || fail "qemu-system-arm is not installed (make deps)"

"$BIN/bleota" image sign --key "$B/pic32cxbz2-keys/signing.pem" --version 1.2.0.0 --fw-auth ecdsa \
    --permanent "$APP/app_ble_ota_linkcheck.elf" -o "$T/good.bin" >/dev/null
cp "$T/good.bin" "$T/bad.bin"
b=$(od -An -tu1 -j 5000 -N1 "$T/bad.bin" | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 0x10)))" | dd of="$T/bad.bin" bs=1 seek=5000 conv=notrunc status=none
dd if="$BOOT.bin" of="$T/boot_tail.bin" bs=224 skip=1 status=none # the caller's vectors stay

run() { # run SLOT1 SLOT0: prints the caller's line
    timeout 60 qemu-system-arm -M mps3-an547 -nographic -monitor none \
        -semihosting-config enable=on,target=native -kernel "$CALLER" \
        -device loader,file="$T/boot_tail.bin",addr=0xE0 \
        -device loader,file="$1",addr=0x01080000 -device loader,file="$2",addr=0x01000000 \
        </dev/null 2>&1 || fail "QEMU exited $?"
}
check() { # check OUT SLOT1 SLOT0
    local out=$1
    echo "$out"
    [[ $out =~ abi:\ slot1=$2\ slot0=$3\ slot2=0\ stack=([0-9]+)\ ram=intact ]] || fail "unexpected: $out"
    [ "${BASH_REMATCH[1]}" -le 3584 ] || fail "the call used ${BASH_REMATCH[1]} bytes of stack (> 3.5 KiB)"
}
check "$(run "$T/good.bin" "$T/bad.bin")" 1 0
check "$(run "$T/bad.bin" "$T/good.bin")" 0 1
echo "pic32cxbz2_api_abi_under_qemu: ok"
