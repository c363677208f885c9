#!/usr/bin/env bash
# ota_ble_refusals (issue 10, acceptance 4): fail early and say why, through the real CLI and
# device.
#  - a file signed with another key is refused as soon as its header is checked: the transfer
#    stops within 2 windows after the 512-byte header (the bytes sent are printed);
#  - every refusal class is in the device log with its reason and in `bleota update`'s message;
#  - a notification the transport cannot queue is held and sent when there is room again
#    (BO_DEVICE_NOTIFY_BUSY), and the update completes.
OTA_TEST=ota_ble_refusals
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
make_image v2 2.0.0.0
make_image old 0.9.0.0

# v2 of 300 kB signed with a key the device does not trust: several windows long
"$B/bleota" keygen -o "$T/other.pem" >/dev/null 2>"$T/keygen2.err" || fail "keygen failed"
random_fw "$T/big.fw" 300000
"$B/bleota" image sign --key "$T/other.pem" --version 2.0.0.0 "$T/big.fw" -o "$T/big.signed" \
    >/dev/null 2>"$T/sign_big.err" || fail "sign big failed"
"$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/big.signed" -o "$T/big.ota" \
    >/dev/null 2>"$T/ota_big.err" || fail "ota big failed"

start_v1 a

# ---- wrong signing key: refused early ------------------------------------------------------
update wrongkey "$T/big.ota"
expect_rc 6 "wrong signing key"
w=$(sed -n 's/^accepted: device runs [0-9.]*, window \([0-9]*\) bytes.*/\1/p' "$T/wrongkey.out")
sent=$(sed -n 's/^start index 0, sent \([0-9]*\) bytes$/\1/p' "$T/wrongkey.out")
[[ -n "$w" && -n "$sent" ]] || fail "wrong key: no window/sent lines"
total=$(payload_len "$T/big.ota")
echo "wrong signing key: refused after $sent of $total bytes sent (window $w, limit $((512 + 2 * w)))"
((sent < 512 + 2 * w)) || fail "wrong key: $sent bytes sent before the refusal (limit $((512 + 2 * w)))"
((sent < total)) || fail "wrong key: the whole file was sent before the refusal"
dev_line "ble: update refused: the image header failed its check (authentication failed: wrong signing key or tampered image)"
grep -q "signing key" "$T/wrongkey.err" || fail "wrong key: update's message does not name the cause: $(cat "$T/wrongkey.err")"

# ---- another AES key: the header decrypts to garbage -------------------------------------------
"$B/bleota" image ota --aes-key "$(hex16)" --aes-iv "$AES_IV" "$T/v2.signed" -o "$T/otherkey.ota" \
    >/dev/null 2>"$T/ota_otherkey.err" || fail "ota otherkey failed"
update aeskey "$T/otherkey.ota"
expect_rc 6 "another AES key"
grep -q "^ble: update refused: the image header failed its check (.*encrypted with another AES key?)" \
    "$DEV_LOG.err" || fail "another AES key: no reason in the device log"
grep -q "AES key" "$T/aeskey.err" || fail "another AES key: update's message does not mention it"

# ---- refusals of the Update Request ---------------------------------------------------------
update older "$T/old.ota"
expect_rc 5 "older version"
dev_line "ble: update refused: announced version is older than the running one (announced 0.9.0.0, running 1.0.0.0)"
grep -q "0.9.0.0" "$T/older.err" && grep -q "1.0.0.0" "$T/older.err" ||
    fail "older: update's message does not give both versions: $(cat "$T/older.err")"

update size --force-size 0 "$T/v2.ota"
expect_rc 5 "size 0"
dev_line "ble: update refused: image size is 0, not a multiple of 16, or larger than the slot (0 bytes)"
grep -q "size" "$T/size.err" || fail "size: update's message does not name the size: $(cat "$T/size.err")"

DEV_ENV=(BO_DEVICE_REFUSE_UPDATES=1)
restart_dev b
update app "$T/v2.ota"
expect_rc 5 "application refuses"
dev_line "ble: update refused: refused by the application"
grep -q "02" "$T/app.err" || fail "app: no result code: $(cat "$T/app.err")"

DEV_ENV=()
stop_dev
start_dev c --flash "$T/flash.nor" --pubkey "$T/pub.pem" # no AES key provisioned
update nokey "$T/v2.ota"
expect_rc 5 "no AES key"
dev_line "ble: update refused: encrypted image but no AES key provisioned"
grep -q "AES key" "$T/nokey.err" || fail "no key: update's message does not mention the AES key: $(cat "$T/nokey.err")"
version_is 1.0.0.0

# ---- a held notification goes out later; the update completes -------------------------------
DEV_ENV=(BO_DEVICE_NOTIFY_BUSY=3)
restart_dev d
update busy "$T/v2.ota"
expect_rc 0 "update with a full transport now and then"
dev_line "ble: transport full: notification held until there is room"
dev_line "app: running 2.0.0.0"
version_is 2.0.0.0
stop_dev
echo "ota_ble_refusals: ok"
