# `image sign` reads ELF and Intel HEX in time linear in their size, whatever their overlaps:
# 20 000 PT_LOAD segments over the same 256 KiB (minutes when placed byte by byte) are refused
# at once as ambiguous, 20 000 disjoint segments sign to the right image, HEX records that
# repeat bytes with the same value sign to the right image and one that changes a byte is
# refused naming its line. Each run must end within 5 s (generous: well under 1 s here).
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
make_fw "$T/fw.bin" 262144
# elf OUT MODE: 20 000 PT_LOAD segments. overlap: each holds all of fw.bin, 16 bytes further
# than the last; disjoint: segment i holds bytes 16i..16i+15 of the first 320 000 (fw.bin twice).
elf() {
    python3 - "$T/fw.bin" "$1" "$2" <<'PY'
import struct, sys
fw = open(sys.argv[1], "rb").read()
n, base, mode = 20000, 0x01000200, sys.argv[3]
data = fw + fw if mode == "disjoint" else fw
off = 52 + 32 * n
eh = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, base, 52, 0,
                                                     0x05000000, 52, 32, n, 40, 0, 0)
ph = bytearray()
for i in range(n):
    if mode == "disjoint":
        ph += struct.pack("<8I", 1, off + 16 * i, base + 16 * i, base + 16 * i, 16, 16, 5, 4)
    else:
        ph += struct.pack("<8I", 1, off, base + 16 * i, base + 16 * i, len(fw), len(fw), 5, 4)
open(sys.argv[2], "wb").write(eh + ph + data)
PY
}
elf "$T/overlap.elf" overlap
elf "$T/disjoint.elf" disjoint
# timed NAME ARGS...: run_bleota with a wall-clock bound (timeout keeps a regression from
# hanging the suite for minutes).
timed() {
    local name=$1 t0 ms
    shift
    t0=$(date +%s%N)
    set +e
    timeout 60 "$BLEOTA" "$@" >"$T/$name.out" 2>"$T/$name.err"
    RC=$?
    set -e
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ "$ms" -lt 5000 ] || fail "$name: took $ms ms (exit $RC)"
    echo "$name: $ms ms"
}
SIGN=(image sign --key "$T/k.pem" --version 1.0.0.0)

timed overlap "${SIGN[@]}" "$T/overlap.elf" -o "$T/overlap.signed"
[ "$RC" = 2 ] && grep -qF "segments 0 and 1 overlap at 0x01000210: which bytes to flash is ambiguous" "$T/overlap.err" ||
    fail "overlapping segments: exit $RC, $(cat "$T/overlap.err")"
[ ! -e "$T/overlap.signed" ] || fail "overlapping segments: output written"
ok "20 000 overlapping segments refused at once"

timed disjoint "${SIGN[@]}" "$T/disjoint.elf" -o "$T/disjoint.signed"
[ "$RC" = 0 ] || fail "disjoint segments: exit $RC, $(cat "$T/disjoint.err")"
cmp <(tail -c +513 "$T/disjoint.signed") <(cat "$T/fw.bin" "$T/fw.bin" | head -c 320000) ||
    fail "disjoint segments: wrong image"
ok "20 000 disjoint segments sign to the right image"

# HEX: all of fw.bin, then its first 4 KiB repeated 60 times (15 360 records of the same bytes).
# hex ADDR FILE...: 16-byte data records of the files' bytes, one after another, from ADDR (python3:
# ihex_data takes seconds for this much).
hex() {
    python3 - "$@" <<'PY'
import sys
addr, upper = int(sys.argv[1], 0), -1
for name in sys.argv[2:]:
    data = open(name, "rb").read()
    for i in range(0, len(data), 16):
        a, d = addr + i, data[i:i + 16]
        if a >> 16 != upper:
            upper = a >> 16
            r = bytes([2, 0, 0, 4, upper >> 8, upper & 255])
            print(":" + (r + bytes([-sum(r) & 255])).hex().upper())
        r = bytes([len(d), (a >> 8) & 255, a & 255, 0]) + d
        print(":" + (r + bytes([-sum(r) & 255])).hex().upper())
PY
}
head -c 4096 "$T/fw.bin" >"$T/head.bin"
hex 0x01000200 "$T/head.bin" >"$T/head.hex"
{
    hex 0x01000200 "$T/fw.bin"
    for i in $(seq 60); do cat "$T/head.hex"; done
    echo "$IHEX_EOF"
} >"$T/dup.hex"
timed dup "${SIGN[@]}" "$T/dup.hex" -o "$T/dup.signed"
[ "$RC" = 0 ] || fail "repeated HEX records: exit $RC, $(cat "$T/dup.err")"
cmp <(tail -c +513 "$T/dup.signed") "$T/fw.bin" || fail "repeated HEX records: wrong image"
ok "HEX records repeating the same bytes sign to the right image"

# One record that changes a byte an earlier record wrote: line 4 flips the byte at 0x01000210.
printf "\\$(printf %03o $(($(byte "$T/head.bin" 16) ^ 255)))" >"$T/x.bin"
{
    head -n 3 "$T/head.hex"
    hex 0x01000210 "$T/x.bin" | tail -n 1
    echo "$IHEX_EOF"
} >"$T/conflict.hex"
timed conflict "${SIGN[@]}" "$T/conflict.hex" -o "$T/conflict.signed"
[ "$RC" = 2 ] && grep -qF "line 4: changes the byte at 0x01000210 an earlier record wrote" "$T/conflict.err" ||
    fail "conflicting HEX record: exit $RC, $(cat "$T/conflict.err")"
ok "a HEX record changing an earlier byte is refused with its line"
finish
