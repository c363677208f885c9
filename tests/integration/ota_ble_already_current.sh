#!/usr/bin/env bash
# ota_ble_already_current: re-sending the running image, signed again with another SEQ_NUM, or
# with its metadata signature re-encoded as n - s (the same signed content: SEQ_NUM and the
# signature's encoding are not covered), is answered as already current and costs the flash
# zero erases; the device keeps running it.
OTA_TEST=ota_ble_already_current
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
"$B/bleota" image sign --key "$T/key.pem" --version 1.0.0.0 --seq 7 "$T/v1.fw" \
    -o "$T/again.signed" >/dev/null 2>"$T/sign_again.err" || fail "image sign again"
cmp -s "$T/v1.signed" "$T/again.signed" && fail "the re-signed image should differ in bytes"
"$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/again.signed" \
    -o "$T/again.ota" >/dev/null 2>"$T/ota_again.err" || fail "image ota again"

# the running image with its metadata signature re-encoded as (r, n - s): the same signature
# for every verifier, other bytes (what a copier without the key can make)
python3 - "$T/v1.signed" "$T/flipped.signed" <<'PY'
import sys
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
img = bytearray(open(sys.argv[1], "rb").read())
size, sig = img[0x1B7], bytes(img[0x1B8:0x1B8 + img[0x1B7]])
rlen = sig[3]
r = sig[4:4 + rlen]
s = int.from_bytes(sig[6 + rlen:], "big")
ns = (N - s).to_bytes(32, "big").lstrip(b"\0")
if ns[0] & 0x80:
    ns = b"\0" + ns
body = b"\x02" + bytes([rlen]) + r + b"\x02" + bytes([len(ns)]) + ns
der = b"\x30" + bytes([len(body)]) + body
img[0x1B7] = len(der)
img[0x1B8:0x1B8 + 72] = der + bytes(72 - len(der))
open(sys.argv[2], "wb").write(img)
PY
cmp -s "$T/v1.signed" "$T/flipped.signed" && fail "the flipped image should differ in bytes"
"$B/bleota" image verify --pubkey "$T/pub.pem" "$T/flipped.signed" >/dev/null 2>"$T/verify_flipped.err" ||
    fail "the n - s signature should verify: $(cat "$T/verify_flipped.err")"
"$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/flipped.signed" \
    -o "$T/flipped.ota" >/dev/null 2>"$T/ota_flipped.err" || fail "image ota flipped"

start_v1 a
version_is 1.0.0.0
restart_dev b # the first boot settled (it recorded the floor): count from here
update_refused again "$T/again.ota" "the image is the one already running"
version_is 1.0.0.0
stop_dev_untouched "re-sending the running image"
grep -q "boot: installed" "$T/b.log" && fail "the running image was installed again"

start_dev c --flash "$T/flash.nor" --pubkey "$T/pub.pem" --aes-key "$AES_KEY" --aes-iv "$AES_IV"
update_refused flipped "$T/flipped.ota" "the image is the one already running"
stop_dev_untouched "the n - s copy of the running image"
echo "ota_ble_already_current: ok"
