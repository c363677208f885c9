# `image sign` makes trial images unless --permanent: the trial flag sits in bleota's metadata
# extension ("BOTA" at 0x071, flags at 0x075), sign says which it made and inspect shows it;
# --permanent gives Microchip's header byte for byte (signatures aside); Microchip's files are
# permanent.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
make_fw "$T/fw.bin" 2000
TRIAL_SAYS="trial image: the application must call bo_boot_confirm() after its self-test, or the bootloader reverts it at the next reset"
PERM_SAYS="permanent image: installed without trial, never reverted"

# ext FILE: the 5 extension bytes 0x071..0x075 as hex
ext() { od -An -tx1 -j $((0x71)) -N5 "$1" | tr -d ' \n'; }

for auth in ecdsa sha256 none; do
    key=()
    [ "$auth" = ecdsa ] && key=(--key "$T/k.pem")
    run_bleota "$T/t" image sign "${key[@]}" --auth $auth --version 1.0.0.0 "$T/fw.bin" -o "$T/t.bin"
    [ "$RC" = 0 ] || fail "$auth: sign: $(cat "$T/t.err")"
    grep -qxF "$TRIAL_SAYS" "$T/t.out" || fail "$auth: sign does not say it made a trial image: $(cat "$T/t.out")"
    [ "$(ext "$T/t.bin")" = 424f544101 ] || fail "$auth: default image has no trial flag: $(ext "$T/t.bin")"
    "$BLEOTA" image inspect "$T/t.bin" | grep -qxF "  install: trial (application confirms with bo_boot_confirm())" ||
        fail "$auth: inspect does not show a trial install"
    run_bleota "$T/p" image sign "${key[@]}" --auth $auth --permanent --version 1.0.0.0 "$T/fw.bin" -o "$T/p.bin"
    [ "$RC" = 0 ] || fail "$auth --permanent: sign: $(cat "$T/p.err")"
    grep -qxF "$PERM_SAYS" "$T/p.out" || fail "$auth --permanent: sign does not say permanent: $(cat "$T/p.out")"
    [ "$(ext "$T/p.bin")" = 0000000000 ] || fail "$auth --permanent: extension written: $(ext "$T/p.bin")"
    "$BLEOTA" image inspect "$T/p.bin" | grep -qxF "  install: permanent" ||
        fail "$auth --permanent: inspect does not show a permanent install"
    # The flag is signed: both verify (ECDSA with the key, digests without one).
    v=()
    [ "$auth" = ecdsa ] && v=(--pubkey "$T/k.pem")
    [ "$auth" = none ] && v=(--allow-unsigned)
    for f in t p; do
        "$BLEOTA" image verify "$T/$f.bin" "${v[@]}" >/dev/null || fail "$auth: $f.bin does not verify"
    done
done
ok "trial by default (ecdsa, sha256, none), --permanent leaves the reserved bytes zero"

# The trial flag is covered by the metadata signature: clearing it breaks the signature.
"$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw.bin" -o "$T/t.bin" >/dev/null
cp "$T/t.bin" "$T/cleared.bin"
flip "$T/cleared.bin" $((0x75)) 1
run_bleota "$T/c" image verify "$T/cleared.bin" --pubkey "$T/k.pem"
[ "$RC" = 1 ] && grep -q "metadata signature: FAIL" "$T/c.out" || fail "trial flag cleared: verify $(cat "$T/c.out")"
ok "the trial flag is signed"

# JSON: the install mode and the raw flags.
"$BLEOTA" image ota "$T/t.bin" -o "$T/t.ota" >/dev/null
"$BLEOTA" image inspect "$T/t.ota" --json >"$T/t.json"
grep -qF '"install": "trial"' "$T/t.json" && grep -qF '"flags": "0x01"' "$T/t.json" ||
    fail "inspect --json of a trial OTA file: $(cat "$T/t.json")"
ok "inspect --json shows install and flags of an OTA file"

# Microchip's files are permanent.
for f in "$FIX_UART"; do
    "$BLEOTA" image inspect "$f" | grep -qxF "  install: permanent" || fail "$(basename "$f") is not shown permanent"
done
"$BLEOTA" image inspect "$FIX_OTA" --mchp-dev-keys 2>/dev/null | grep -qxF "  install: permanent" ||
    fail "ble_Sensor_OTA.bin is not shown permanent"
ok "Microchip's signed image and OTA file show install: permanent"

# --permanent re-signs Microchip's application into Microchip's header, byte for byte outside
# the two signature fields (ECDSA signatures differ by key randomness).
tail -c +513 "$FIX_UART" >"$T/mchp_fw.bin"
"$BLEOTA" image sign --key "$FIX_KEY" --fw-auth ecdsa --permanent --version 1.0.0.0 --seq 1 \
    "$T/mchp_fw.bin" -o "$T/mchp.bin" >/dev/null 2>&1 || fail "re-sign Microchip's application"
# unsigned FILE: the header without FW_IMG_SIG (0x028..0x070) and MD_SIG (0x1B7..0x1FF)
unsigned() { { head -c $((0x28)) "$1"; dd if="$1" bs=1 skip=$((0x71)) count=$((0x1B7 - 0x71)) status=none; } | od -An -tx1; }
[ "$(unsigned "$T/mchp.bin")" = "$(unsigned "$FIX_UART")" ] || fail "--permanent header differs from Microchip's"
cmp <(tail -c +513 "$T/mchp.bin") "$T/mchp_fw.bin" || fail "firmware changed"
"$BLEOTA" image sign --key "$FIX_KEY" --fw-auth ecdsa --version 1.0.0.0 --seq 1 \
    "$T/mchp_fw.bin" -o "$T/mchp_trial.bin" >/dev/null 2>&1 || fail "re-sign Microchip's application (trial)"
[ "$(unsigned "$T/mchp_trial.bin")" != "$(unsigned "$FIX_UART")" ] || fail "trial header equals Microchip's"
ok "--permanent header = Microchip's (signatures aside)"

"$BLEOTA" image sign --help | grep -q -- "--permanent" || fail "sign --help does not list --permanent"
finish
