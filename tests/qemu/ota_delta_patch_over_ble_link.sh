#!/usr/bin/env bash
# A delta patch on the emulated Cortex-M4 (issue 15): v1 boots; `bleota image delta` makes the
# patch from v1 to v2 (an ordinary encrypted OTA file) and `bleota update` sends it over the BLE
# framing on UART0; the demo's OTA path checks that v1 is the patch's base, rebuilds v2 into
# slot 1 with the Cortex-M4 build of the decoder (reading v1 from slot 0), validates it with the
# bootloader's authenticate; the bootloader installs v2, which runs (halt-at=2.0.0.0).
source "$(dirname "$0")/lib.sh"
sign 1.0.0.0 "$DEMO_A" "$T/v1.bin"
sign 2.0.0.0 "$DEMO_B" "$T/v2.bin"
"$BIN/bleota" image delta --from "$T/v1.bin" --to "$T/v2.bin" --aes-key "$(cat "$KEYS/aes.hex")" \
    --aes-iv "$(cat "$KEYS/aes-iv.hex")" -o "$T/v1to2.ota" >"$T/delta.log" 2>&1 ||
    fail "image delta: $(cat "$T/delta.log")"
full=$(stat -c %s "$T/v2.bin")
patch=$(($(stat -c %s "$T/v1to2.ota") - 16))
((patch < full)) || fail "the patch ($patch bytes) is not smaller than the image ($full)"
BO_QEMU_ARGS=halt-at=2.0.0.0 start_ota_device "$T/v1.bin"
expect_log device "app: running 1\.0\.0\.0"
update_over_link "$T/v1to2.ota"
expect_log device "app: update validated 2\.0\.0\.0"
expect_log device "boot: installed slot 1 into slot 0"
expect_log device "app: running 2\.0\.0\.0"
expect_log device "app: build b"
echo "patch $patch bytes for a $full-byte image"
pass
