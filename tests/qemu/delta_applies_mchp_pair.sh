#!/usr/bin/env bash
# Microchip's own pair of releases (fixtures/mchp/delta/: ble_sensor from two SDK releases) on
# the emulated Cortex-M4: `bleota image delta` makes the patch on the host; the target's build
# of the decoder (tests/qemu/guest/delta_apply.c) rebuilds the newer release from the older one
# and the SHA-256 of what it rebuilt is the newer release's.
source "$(dirname "$0")/lib.sh"
GUEST=$M4/qemu-guest/qemu_delta_apply.elf
[ -f "$GUEST" ] || fail "missing $GUEST: build the cortex-m4 configuration first"
FX=${BO_FIXTURES:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/fixtures/mchp}
KEY=AABBCCDDEEFF00112233445566778899
IV=00000000000000000000000000000000
plain() { tail -c +17 "$1" | openssl enc -d -aes-128-cbc -K "$KEY" -iv "$IV" >"$2"; }
plain "$FX/delta/sensor_2023-09.ota.bin" "$T/old.bin" || fail "decrypting the older release"
plain "$FX/delta/sensor_2023-12.ota.bin" "$T/new.bin" || fail "decrypting the newer release"
"$BIN/bleota" image delta --from "$FX/delta/sensor_2023-09.ota.bin" \
    --to "$FX/delta/sensor_2023-12.ota.bin" --aes-key "$KEY" --aes-iv "$IV" -o "$T/patch.ota" \
    >"$T/delta.log" 2>&1 || fail "image delta: $(cat "$T/delta.log")"
plain "$T/patch.ota" "$T/patch.bin" || fail "decrypting the patch"
rc=0
timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null \
    -semihosting-config enable=on,target=native -kernel "$GUEST" \
    -device loader,file="$T/old.bin",addr=0x00200000 \
    -device loader,file="$T/patch.bin",addr=0x00300000 >"$T/apply.log" 2>&1 </dev/null || rc=$?
[ "$rc" = 0 ] || fail "the decoder on the target failed (exit $rc)"
want=$(sha256sum "$T/new.bin" | cut -d' ' -f1)
expect_log apply "delta-apply: sha256 $want$"
echo "patch $(stat -c %s "$T/patch.bin") bytes rebuilt $(stat -c %s "$T/new.bin") bytes on the Cortex-M4"
pass
