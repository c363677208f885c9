# Acceptance 2: Microchip's own files verify with --mchp-dev-keys, and nothing passes without a
# key; the warning about public keys goes to stderr.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

run_bleota "$T/ota" image verify "$FIX_OTA" --mchp-dev-keys
[ "$RC" -eq 0 ] || fail "BLE fixture: exit $RC"
for want in "version: 1.1.0.0" "image ID: 0x9B000000" "checksum: ok" "decryption: ok" "structure: ok" \
    "firmware signature: ok (ECDSA P-256, valid)" "metadata signature: ok (ECDSA P-256, valid)" "result: PASS"; do
    grep -qF "$want" "$T/ota.out" || fail "BLE fixture: missing '$want'"
done
grep -q "PUBLIC development keys" "$T/ota.err" || fail "no warning about public keys"
ok "BLE fixture verifies"

run_bleota "$T/uart" image verify "$FIX_UART" --mchp-dev-keys
[ "$RC" -eq 0 ] || fail "UART fixture: exit $RC"
for want in "signed image, 306688 bytes" "version: 1.0.0.0" "FW_IMG_LEN 306176" \
    "firmware signature: ok (ECDSA P-256, valid)" "metadata signature: ok (ECDSA P-256, valid)" "result: PASS"; do
    grep -qF "$want" "$T/uart.out" || fail "UART fixture: missing '$want'"
done
ok "UART fixture verifies"

# The same keys given explicitly: no warning.
"$BLEOTA" pubkey "$FIX_KEY" --format pem >"$T/mchp_pub.pem"
run_bleota "$T/explicit" image verify "$FIX_OTA" --aes-key $MCHP_AES --aes-iv $ZERO_IV --pubkey "$T/mchp_pub.pem"
[ "$RC" -eq 0 ] || fail "explicit keys: exit $RC"
[ -s "$T/explicit.err" ] && fail "explicit keys: unexpected stderr: $(cat "$T/explicit.err")"
run_bleota "$T/hexkey" image verify "$FIX_UART" --pubkey "$("$BLEOTA" pubkey "$FIX_KEY")"
[ "$RC" -eq 0 ] || fail "hex public key: exit $RC"
ok "explicit keys (PEM and hex) verify"

# No key is ever assumed.
run_bleota "$T/nokey" image verify "$FIX_OTA"
[ "$RC" -eq 1 ] || fail "no keys: exit $RC (want 1)"
grep -q "decryption: FAIL.*--aes-key" "$T/nokey.out" || fail "no keys: decryption verdict does not name --aes-key"
run_bleota "$T/nopub" image verify "$FIX_UART"
[ "$RC" -eq 1 ] || fail "no public key: exit $RC (want 1)"
grep -q "firmware signature: FAIL.*--pubkey" "$T/nopub.out" || fail "no public key: verdict does not name --pubkey"
grep -q "metadata signature: FAIL.*--pubkey" "$T/nopub.out" || fail "no public key: md verdict does not name --pubkey"
ok "missing keys fail and say which option is missing"

# A wrong key fails.
"$BLEOTA" keygen -o "$T/other.pem" >/dev/null
run_bleota "$T/wrongpub" image verify "$FIX_UART" --pubkey "$T/other.pem"
[ "$RC" -eq 1 ] || fail "wrong public key: exit $RC"
grep -q "firmware signature: FAIL" "$T/wrongpub.out" || fail "wrong public key not reported"
run_bleota "$T/wrongaes" image verify "$FIX_OTA" --aes-key 00112233445566778899AABBCCDDEEFF --aes-iv $ZERO_IV \
    --mchp-dev-keys
[ "$RC" -eq 1 ] || fail "wrong AES key: exit $RC"
grep -q "structure: FAIL" "$T/wrongaes.out" || fail "wrong AES key: structure not reported"
ok "wrong keys fail"
finish
