#!/usr/bin/env bash
# boot_device_cli: the simulated device's boot lines and exit codes for the cases a user meets
# first (empty flash, no key, wrong key, method not allowed, bad options).
set -euo pipefail
B=${BO_BIN:?BO_BIN not set}
mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/boot_device_cli.XXXXXX")
trap '[[ -n "${BO_KEEP_TMP:-}" ]] || rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# boot WANT_RC WANT_LINE ARGS...: one boot decision (--exit-after-boot), first stdout line.
boot() {
    local want_rc=$1 want=$2 rc=0 out
    shift 2
    out=$(timeout 30 "$B/bleota-device" --exit-after-boot "$@" 2>"$T/err") || rc=$?
    [[ $rc == "$want_rc" ]] || fail "exit $rc (want $want_rc) for $*: $(cat "$T/err")"
    grep -qxF "$want" <<<"$out" || fail "want '$want', got: $out"
}

# a bootable vector table (SP at the top of the BZ2's RAM, Thumb reset handler inside), then
# random bytes: a random first byte ':' would make `image sign` read Intel HEX
{ printf '\x00\x00\x02\x20\x09\x02\x00\x01'; head -c 8184 /dev/urandom; } >"$T/fw.bin"
"$B/bleota" keygen -o "$T/key.pem" >/dev/null
"$B/bleota" keygen -o "$T/other.pem" >/dev/null
hex=$("$B/bleota" pubkey "$T/key.pem")
"$B/bleota" image sign --key "$T/key.pem" --version 1.2.3.4 "$T/fw.bin" -o "$T/v1.bin" >/dev/null
"$B/bleota" image sign --auth sha256 --version 1.2.3.5 "$T/fw.bin" -o "$T/sha.bin" >/dev/null

boot 3 "boot: no valid image, serial DFU (slot 0 is empty or not a valid image)" --flash "$T/f0"
boot 3 "boot: no valid image, serial DFU (no public key provisioned: nothing authenticates)" \
    --flash "$T/f1" --provision "$T/v1.bin"
grep -q "no public key" "$T/err" || fail "no warning about the missing key"
boot 0 "boot: running 1.2.3.4 from slot 0" --flash "$T/f1" --pubkey "$T/key.pem"
boot 0 "app: running 1.2.3.4" --flash "$T/f1" --pubkey "$hex"
boot 3 "boot: no valid image, serial DFU (slot 0 failed authentication)" \
    --flash "$T/f1" --pubkey "$T/other.pem"
boot 3 "boot: no valid image, serial DFU (slot 0 uses an authentication method this device refuses)" \
    --flash "$T/f2" --provision "$T/sha.bin" --pubkey "$T/key.pem"
boot 0 "boot: running 1.2.3.5 from slot 0" --flash "$T/f2" --pubkey "$T/key.pem" --allow-auth ecdsa,sha256

rc=0; "$B/bleota-device" --flash "$T/f3" --bogus 2>/dev/null || rc=$?
[[ $rc == 2 ]] || fail "unknown option: exit $rc"
rc=0; "$B/bleota-device" --provision "$T/v1.bin" 2>/dev/null || rc=$?
[[ $rc == 2 ]] || fail "missing --flash: exit $rc"
rc=0; "$B/bleota-device" --flash "$T/f3" --allow-auth rsa 2>/dev/null || rc=$?
[[ $rc == 2 ]] || fail "bad --allow-auth: exit $rc"
echo "boot_device_cli: ok"
