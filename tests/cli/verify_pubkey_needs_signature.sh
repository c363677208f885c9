# `image verify --pubkey K` passes only when the image's authenticity rests on K: ECDSA-signed
# metadata (MD_AUTH 2) with an ECDSA firmware signature or the firmware's SHA-256 inside it.
# Digest-only or unauthenticated images (anyone can make them) fail with why and the fix, unless
# --allow-unsigned; without --pubkey nothing changes.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
make_fw "$T/fw.bin" 3000
sign() { # OUT ARGS...
    local out=$1
    shift
    "$BLEOTA" image sign "$@" --version 1.0.0.0 "$T/fw.bin" -o "$T/$out" >/dev/null || fail "sign $out"
}
sign digest.bin --key "$T/k.pem"
sign two.bin --key "$T/k.pem" --fw-auth ecdsa
sign sha.bin --auth sha256
sign none.bin --auth none
"$BLEOTA" image ota "$T/sha.bin" -o "$T/sha.ota" >/dev/null

for f in digest.bin two.bin; do
    run_bleota "$T/v" image verify "$T/$f" --pubkey "$T/k.pem"
    [ "$RC" = 0 ] && grep -q "^authenticity: ok" "$T/v.out" || fail "$f: $(cat "$T/v.out")"
done
ok "signed-digest and 2/2 images pass with --pubkey"

WHY="anyone can make it"
FIX="sign it with \`bleota image sign --key KEY.pem\` (ECDSA), or accept it with --allow-unsigned"
for f in sha.bin sha.ota none.bin; do
    run_bleota "$T/v" image verify "$T/$f" --pubkey "$T/k.pem"
    [ "$RC" = 1 ] || fail "$f with --pubkey: exit $RC (want 1): $(cat "$T/v.out")"
    grep "^authenticity: FAIL" "$T/v.out" | grep -qF "$WHY" || fail "$f: does not say why: $(cat "$T/v.out")"
    grep "^authenticity: FAIL" "$T/v.out" | grep -qF "$FIX" || fail "$f: does not name the fix: $(cat "$T/v.out")"
    grep -q "^result: FAIL (.*authenticity" "$T/v.out" || fail "$f: result line: $(cat "$T/v.out")"
    run_bleota "$T/a" image verify "$T/$f" --pubkey "$T/k.pem" --allow-unsigned
    [ "$RC" = 0 ] && grep -q "^authenticity: ok (not signed.*--allow-unsigned" "$T/a.out" ||
        fail "$f with --allow-unsigned: exit $RC: $(cat "$T/a.out")"
done
grep "^authenticity: FAIL" "$T/v.out" | grep -qF "MD_AUTH 0" || fail "none.bin: method not named"
ok "SHA-256-only and unauthenticated images fail with --pubkey, pass with --allow-unsigned"

# A mix sign never writes: ECDSA metadata over an unauthenticated firmware (FW_IMG_AUTH patched
# to 0; the metadata signature then fails too, the authenticity verdict must name the firmware).
cp "$T/digest.bin" "$T/fwnone.bin"
printf '\x00' | dd of="$T/fwnone.bin" bs=1 seek=36 conv=notrunc status=none
run_bleota "$T/v" image verify "$T/fwnone.bin" --pubkey "$T/k.pem"
[ "$RC" = 1 ] && grep "^authenticity: FAIL" "$T/v.out" | grep -qF "FW_IMG_AUTH 0" ||
    fail "ECDSA metadata over an unauthenticated firmware: $(cat "$T/v.out")"
ok "firmware outside the ECDSA signature fails"

# Without --pubkey verify checks integrity as before: no authenticity verdict.
run_bleota "$T/v" image verify "$T/sha.bin"
[ "$RC" = 0 ] && ! grep -q "^authenticity" "$T/v.out" || fail "sha.bin without --pubkey: $(cat "$T/v.out")"
"$BLEOTA" image verify --help | grep -q -- "--allow-unsigned" || fail "--help"
finish
