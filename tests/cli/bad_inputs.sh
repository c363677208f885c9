# Acceptance 6: bad input to every command gives exit 2, exactly one stderr line
# "bleota: <what>: <problem>" naming the problem, and leaves no output file (nor OUT.tmp).
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

# ---- inputs ----
"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
"$BLEOTA" pubkey "$T/k.pem" --format pem >"$T/pub.pem"
make_fw "$T/fw.bin" 1000
"$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw.bin" -o "$T/signed.bin" >/dev/null
: >"$T/empty"
{ printf 'garbage'; head -c 1000 /dev/urandom; } >"$T/garbage.bin"
head -c 700 "$T/signed.bin" >"$T/signed_trunc.bin"
{ cat "$T/signed.bin"; printf 'x'; } >"$T/signed_trailing.bin"
head -c 2000 /dev/zero >"$T/zeros.bin"
head -c $((0x7FE00 + 1)) /dev/zero | tr '\0' '\1' >"$T/big.bin"
head -c $((0x80000 + 1)) /dev/zero >"$T/huge.bin"
make_fw "$T/fw_max.bin" $((507904 - 512))
"$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw_max.bin" -o "$T/signed_max.bin" >/dev/null
{ ihex_data "$T/fw.bin" 0x01000200; } >"$T/noeof.hex"
{ cat "$T/noeof.hex"; echo "$IHEX_EOF"; } >"$T/good.hex"
sed '3s/..$/00/' "$T/good.hex" >"$T/badcks.hex"
sed '3s/^:10/:1G/' "$T/good.hex" >"$T/baddigit.hex"
{ ihex_data "$T/fw.bin" 0x01000000 | head -n 20; echo "$IHEX_EOF"; } >"$T/below.hex"
make_elf "$T/good.elf" 0x01000200 "$T/fw.bin"
head -c 40 "$T/good.elf" >"$T/trunc.elf"
head -c 300 "$T/good.elf" >"$T/segtrunc.elf"
{ printf '\x7fELF\x02'; tail -c +6 "$T/good.elf"; } >"$T/elf64.elf"
echo hello >"$T/notakey.pem"
head -c 100 "$FIX_OTA" >"$T/ota_trunc.bin"
mkdir -p "$T/adir"

OUT="$T/out.bin"
N=0
# case WANT ARGS...: bleota ARGS must fail with exit 2, one stderr line containing WANT, no OUT.
case_() {
    local want=$1
    shift
    N=$((N + 1))
    rm -f "$OUT" "$OUT.tmp"
    run_bleota "$T/c" "$@"
    local lines
    lines=$(wc -l <"$T/c.err")
    if [ "$RC" -ne 2 ]; then
        fail "[$*] exit $RC (want 2): $(cat "$T/c.err")"
    elif [ "$lines" -ne 1 ]; then
        fail "[$*] $lines stderr lines: $(cat "$T/c.err")"
    elif ! grep -qE "^bleota: [^:]+: ." "$T/c.err" || ! grep -qF -- "$want" "$T/c.err"; then
        fail "[$*] stderr '$(cat "$T/c.err")' does not say '$want'"
    fi
    if [ -e "$OUT" ] || [ -e "$OUT.tmp" ]; then
        fail "[$*] left an output file behind"
    fi
    return 0
}

# general
case_ "missing command"
case_ "unknown command" frobnicate
case_ "unknown subcommand" image frobnicate
case_ "missing subcommand" image
# keygen
case_ "missing -o" keygen
case_ "unknown option --bogus" keygen --bogus -o "$OUT"
case_ "unexpected argument" keygen extra -o "$OUT"
case_ "needs a value" keygen -o
case_ "$T/nodir/out.bin" keygen -o "$T/nodir/out.bin"
# pubkey
case_ "missing input" pubkey
case_ "$T/missing.pem" pubkey "$T/missing.pem"
case_ "notakey.pem" pubkey "$T/notakey.pem"
case_ "empty" pubkey "$T/empty"
case_ "unknown format 'der'" pubkey "$T/k.pem" --format der
case_ "bad --name" pubkey "$T/k.pem" --format c --name "1bad name"
case_ "$T/adir" pubkey "$T/adir"
case_ "0123" pubkey 0123456789abcdef
case_ "$T/nodir/out.txt" pubkey "$T/k.pem" -o "$T/nodir/out.txt"
# image sign
S=(image sign --key "$T/k.pem" --version 1.2.3.4)
case_ "missing input" "${S[@]}" -o "$OUT"
case_ "missing -o" "${S[@]}" "$T/fw.bin"
case_ "missing --version" image sign --key "$T/k.pem" "$T/fw.bin" -o "$OUT"
case_ "bad version '1.2.3'" image sign --key "$T/k.pem" --version 1.2.3 "$T/fw.bin" -o "$OUT"
case_ "bad version '256.0.0.0'" image sign --key "$T/k.pem" --version 256.0.0.0 "$T/fw.bin" -o "$OUT"
case_ "bad version '01.2.3.4'" image sign --key "$T/k.pem" --version 01.2.3.4 "$T/fw.bin" -o "$OUT"
case_ "bad version 'a.b.c.d'" image sign --key "$T/k.pem" --version a.b.c.d "$T/fw.bin" -o "$OUT"
case_ "bad sequence number '0'" "${S[@]}" --seq 0 "$T/fw.bin" -o "$OUT"
case_ "bad sequence number '0xFFFFFFFF'" "${S[@]}" --seq 0xFFFFFFFF "$T/fw.bin" -o "$OUT"
case_ "bad sequence number 'x1'" "${S[@]}" --seq x1 "$T/fw.bin" -o "$OUT"
case_ "unknown method 'rsa'" "${S[@]}" --auth rsa "$T/fw.bin" -o "$OUT"
case_ "missing --key" image sign --version 1.2.3.4 "$T/fw.bin" -o "$OUT"
case_ "$T/missing.pem" image sign --key "$T/missing.pem" --version 1.2.3.4 "$T/fw.bin" -o "$OUT"
case_ "notakey.pem" image sign --key "$T/notakey.pem" --version 1.2.3.4 "$T/fw.bin" -o "$OUT"
case_ "pub.pem" image sign --key "$T/pub.pem" --version 1.2.3.4 "$T/fw.bin" -o "$OUT"
case_ "bad address" "${S[@]}" --base 0x1G "$T/fw.bin" -o "$OUT"
case_ "not 4 characters" "${S[@]}" --manu TOOLONG "$T/fw.bin" -o "$OUT"
case_ "$T/missing.bin" "${S[@]}" "$T/missing.bin" -o "$OUT"
case_ "empty input" "${S[@]}" "$T/empty" -o "$OUT"
case_ "too large" "${S[@]}" "$T/big.bin" -o "$OUT"
case_ "no end-of-file record" "${S[@]}" "$T/noeof.hex" -o "$OUT"
case_ "checksum" "${S[@]}" "$T/badcks.hex" -o "$OUT"
case_ "not an Intel HEX record" "${S[@]}" "$T/baddigit.hex" -o "$OUT"
case_ "no data at or above 0x01000200" "${S[@]}" "$T/below.hex" -o "$OUT"
case_ "truncated ELF header" "${S[@]}" "$T/trunc.elf" -o "$OUT"
case_ "outside the file" "${S[@]}" "$T/segtrunc.elf" -o "$OUT"
case_ "only 32-bit" "${S[@]}" "$T/elf64.elf" -o "$OUT"
case_ "$T/adir" "${S[@]}" "$T/adir" -o "$OUT"
case_ "$T/nodir/out.bin" "${S[@]}" "$T/fw.bin" -o "$T/nodir/out.bin"
# image ota
case_ "missing input" image ota -o "$OUT"
case_ "missing -o" image ota "$T/signed.bin"
case_ "$T/missing.bin" image ota "$T/missing.bin" -o "$OUT"
case_ "truncated" image ota "$T/signed_trunc.bin" -o "$OUT"
case_ "truncated" image ota "$T/empty" -o "$OUT"
case_ "trailing bytes" image ota "$T/signed_trailing.bin" -o "$OUT"
case_ "not a signed image" image ota "$T/garbage.bin" -o "$OUT"
case_ "not a signed image" image ota "$T/zeros.bin" -o "$OUT"
case_ "already an OTA file" image ota "$FIX_OTA" -o "$OUT"
case_ "too large" image ota "$T/huge.bin" -o "$OUT"
case_ "too large for a BLE OTA file" image ota --aes-key $MCHP_AES --aes-iv $ZERO_IV "$T/signed_max.bin" -o "$OUT"
case_ "--aes-key needs --aes-iv" image ota --aes-key $MCHP_AES "$T/signed.bin" -o "$OUT"
case_ "--aes-iv needs --aes-key" image ota --aes-iv $ZERO_IV "$T/signed.bin" -o "$OUT"
case_ "--aes-key: bad hex" image ota --aes-key AABBCCDDEEFF0011223344556677889 --aes-iv $ZERO_IV "$T/signed.bin" -o "$OUT"
case_ "--aes-iv: bad hex" image ota --aes-key $MCHP_AES --aes-iv 0000000000000000000000000000000G "$T/signed.bin" -o "$OUT"
case_ "--id: bad hex" image ota --id 0xZZ "$T/signed.bin" -o "$OUT"
case_ "--id: bad hex" image ota --id 123456789 "$T/signed.bin" -o "$OUT"
case_ "$T/nodir/out.bin" image ota "$T/signed.bin" -o "$T/nodir/out.bin"
# image inspect / verify (they write no file; the checks are the same)
for sub in inspect verify; do
    case_ "missing input" image $sub
    case_ "$T/missing.bin" image $sub "$T/missing.bin"
    case_ "too short" image $sub "$T/empty"
    case_ "not an OTA file or signed image" image $sub "$T/garbage.bin"
    case_ "truncated" image $sub "$T/ota_trunc.bin"
    case_ "is a directory" image $sub "$T/adir"
    case_ "--aes-key: bad hex" image $sub "$FIX_OTA" --aes-key 12 --aes-iv $ZERO_IV
    case_ "unknown option --pubkee" image $sub "$FIX_OTA" --pubkee x
done
case_ "--pubkey" image verify "$FIX_UART" --pubkey "$T/notakey.pem"
case_ "--pubkey" image verify "$FIX_UART" --pubkey abcdef
ok "$N bad inputs refused with one line and no output"

# The good variants of the same inputs work (so the table above tests the inputs, not typos).
for good in good.hex good.elf fw.bin; do
    run_bleota "$T/g" "${S[@]}" "$T/$good" -o "$OUT"
    [ "$RC" = 0 ] && [ ! -s "$T/g.err" ] || fail "$good: exit $RC, stderr '$(cat "$T/g.err")'"
done
"$BLEOTA" image ota "$T/signed_max.bin" -o "$OUT" >/dev/null || fail "507904-byte plain payload refused"
[ ! -e "$OUT.tmp" ] || fail "temporary file left after success"
ok "the good variants are accepted"
finish
