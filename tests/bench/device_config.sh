#!/bin/bash
# bench_device_config_is_bleota_device: what the bench measures is what users run. The bench
# device's OTA configuration (bleota-bench --print-device-config, the bo_ota_cfg_describe line
# of bo_ota_att_defaults() as the bench sets it up) must equal the simulated device's
# (bleota-device --print-config, the shipped defaults with no BO_DEVICE_* knob). Fails (never
# skips) when either side cannot print it.
set -euo pipefail
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
for v in $(env | sed -n 's/^\(BO_DEVICE_[A-Z_]*\)=.*/\1/p'); do
    unset "$v"
done
bench=$("$BO_BIN/bleota-bench" --print-device-config) || fail "bleota-bench --print-device-config failed"
device=$("$BO_BIN/bleota-device" --print-config) || fail "bleota-device --print-config failed"
[ -n "$bench" ] || fail "bleota-bench printed nothing"
if [ "$bench" != "$device" ]; then
    echo "bench:  $bench" >&2
    echo "device: $device" >&2
    fail "the bench's device configuration differs from bleota-device's defaults"
fi
echo "same: $bench"
