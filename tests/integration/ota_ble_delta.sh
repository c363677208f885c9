#!/usr/bin/env bash
# ota_ble_delta (issue 15): delta patches through the real CLI and the simulated device.
# v1 runs; `bleota image delta` makes the patch to v2 (an OTA file like any other) and
# `bleota update` sends it unchanged: the device rebuilds v2 in slot 1, validates, installs and
# runs it. A patch made for another base is refused before any flash operation (the device's
# erase/program counters); a tampered patch ends with an image that is never installed. The link
# drops at a spread of points mid-patch (a reboot between some of them) and `--resume` finishes.
OTA_TEST=ota_ble_delta
source "$(dirname "$0")/ota_lib.bash"

make_keys
random_fw "$T/v1.fw" 40000
# v2: v1 with a stretch of new code inserted, some words changed further on, a new tail
python3 - "$T/v1.fw" "$T/v2.fw" <<'PY'
import os, sys
a = bytearray(open(sys.argv[1], "rb").read())
b = a[:12000] + os.urandom(9000) + a[12000:]
for i in range(30000, 36000, 48):
    b[i] ^= 0x21
b += os.urandom(2000)
open(sys.argv[2], "wb").write(b)
PY
for v in 1 2; do
    "$B/bleota" image sign --key "$T/key.pem" --version "$v.0.0.0" "$T/v$v.fw" \
        -o "$T/v$v.signed" >/dev/null 2>"$T/sign$v.err" || fail "image sign v$v"
done
"$B/bleota" image delta --from "$T/v1.signed" --to "$T/v2.signed" --aes-key "$AES_KEY" \
    --aes-iv "$AES_IV" -o "$T/v1to2.ota" >"$T/delta.out" 2>"$T/delta.err" || fail "image delta"
grep -q "^patch: " "$T/delta.out" || fail "image delta printed no patch line"
P=$(payload_len "$T/v1to2.ota")
S=$(stat -c %s "$T/v2.signed")
((P < S / 2)) || fail "the patch ($P bytes) is not much smaller than the image ($S)"
"$B/bleota" image verify "$T/v1to2.ota" --aes-key "$AES_KEY" --aes-iv "$AES_IV" \
    --pubkey "$T/pub.pem" --base "$T/v1.signed" --target "$T/v2.signed" >"$T/verify.out" \
    2>"$T/verify.err" || fail "image verify --base: $(cat "$T/verify.out")"

# 1. the patch installs v2
start_v1 a
version_is 1.0.0.0
update patch "$T/v1to2.ota"
expect_rc 0 "the patch update"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0
stop_dev
echo "patch of $P bytes (image $S bytes) installed"

# 2. a patch made for another base: refused before any flash operation
random_fw "$T/v0.fw" 40000
"$B/bleota" image sign --key "$T/key.pem" --version 1.0.0.0 "$T/v0.fw" -o "$T/v0.signed" \
    >/dev/null 2>"$T/sign0.err" || fail "image sign v0"
"$B/bleota" image delta --from "$T/v0.signed" --to "$T/v2.signed" --aes-key "$AES_KEY" \
    --aes-iv "$AES_IV" -o "$T/v0to2.ota" >/dev/null 2>"$T/delta0.err" || fail "image delta v0"
start_v1 b
restart_dev c # the first boot settled: count from here
update_refused wrongbase "$T/v0to2.ota" \
    "the delta patch was made for another image than the running one"
version_is 1.0.0.0
stop_dev_untouched "the refused patch"

# 3. a tampered patch (two ciphertext bytes changed, the file's checksum still right): the
# rebuilt image never installs
python3 - "$T/v1to2.ota" "$T/bad.ota" <<'PY'
import sys
f = bytearray(open(sys.argv[1], "rb").read())
i = 16 + (len(f) - 16) // 2
f[i] = (f[i] + 1) & 0xFF       # the sum16 checksum stays the same
f[i + 40] = (f[i + 40] - 1) & 0xFF
open(sys.argv[2], "wb").write(f)
PY
start_v1 d
update tampered "$T/bad.ota"
[[ "$RC" != 0 ]] || fail "a tampered patch reported success"
version_is 1.0.0.0
restart_dev e
dev_line "boot: running 1.0.0.0 from slot 0"
grep -q "^boot: installed" "$T/e.log" && fail "the tampered patch's image was installed"
stop_dev

# 4. link loss mid-patch at a spread of points, then --resume (a reboot between some)
i=0
for d in 100 4000 4100 9000 $((P - 200)); do
    ((d < P)) || continue
    start_v1 "l$d"
    drop_after "$d" "$T/v1to2.ota" "$P"
    if ((i % 2 == 0)); then
        restart_dev "r$d"
        dev_line "boot: running 1.0.0.0 from slot 0"
    fi
    resume_after "$d" "$T/v1to2.ota"
    ((START % 4096 == 0 && START <= SENT)) ||
        fail "drop $d: start index $START is not a patch block boundary at or before $SENT"
    dev_line "app: running 2.0.0.0"
    version_is 2.0.0.0
    echo "drop after $d: $SENT sent, resumed at $START"
    stop_dev
    i=$((i + 1))
done
echo "ota_ble_delta: ok"
