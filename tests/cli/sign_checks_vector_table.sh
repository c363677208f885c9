# `image sign` refuses firmware whose vector table cannot boot (the bootloader reads the initial
# SP and the reset vector at 0x01000200 and jumps): initial SP outside the BZ2's RAM, reset
# vector outside the image or without the Thumb bit, too short for a vector table. ELF, Intel
# HEX and raw inputs are refused with one line naming the fix; --no-vector-check signs anyway. Real vector tables pass: Microchip's signed application,
# bleota's test firmware, and another board's layout chosen with --base.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
OUT="$T/out.bin"
N=0
SIGN=(image sign --key "$T/k.pem" --version 1.0.0.0)
FIX="link the application at 0x01000200"

# case NAME SP RESET SIZE WANT...: firmware NAME with that vector table, as ELF, as Intel HEX at
# 0x01000200 and as a raw binary, refused naming WANT and the fix.
case_() {
    local name=$1 sp=$2 reset=$3 n=$4 kind
    shift 4
    vectors "$T/$name.bin" "$sp" "$reset" "$n"
    make_elf "$T/$name.elf" 0x01000200 "$T/$name.bin"
    { ihex_data "$T/$name.bin" 0x01000200; echo "$IHEX_EOF"; } >"$T/$name.hex"
    for kind in elf hex bin; do
        refused 2 "this firmware cannot boot" "$@" "$FIX" "--no-vector-check" \
            -- "${SIGN[@]}" "$T/$name.$kind" -o "$OUT"
    done
    run_bleota "$T/raw" "${SIGN[@]}" --no-vector-check "$T/$name.elf" -o "$OUT"
    [ "$RC" = 0 ] && [ ! -s "$T/raw.err" ] && [ -e "$OUT" ] ||
        fail "$name.elf with --no-vector-check: exit $RC, $(cat "$T/raw.err")"
    run_bleota "$T/raw" "${SIGN[@]}" --no-vector-check "$T/$name.bin" -o "$OUT"
    [ "$RC" = 0 ] && [ ! -s "$T/raw.err" ] || fail "$name.bin with --no-vector-check: exit $RC"
}

case_ sp_in_flash 0x01000000 0x01000209 64 "initial SP 0x01000000 is outside RAM (0x20000000-0x2001FFFF)"
case_ sp_zero 0x00000000 0x01000209 64 "initial SP 0x00000000 is outside RAM"
case_ sp_above_ram 0x20020004 0x01000209 64 "initial SP 0x20020004 is outside RAM"
case_ sp_other_board 0x20200000 0x01000209 64 "initial SP 0x20200000 is outside RAM"
case_ reset_below 0x20020000 0x01000101 64 "reset vector 0x01000101 is outside the image (0x01000200-0x0100023F)"
case_ reset_past_end 0x20020000 0x01000241 64 "reset vector 0x01000241 is outside the image"
case_ reset_no_thumb 0x20020000 0x01000208 64 "reset vector 0x01000208 has no Thumb bit" "-mthumb"
case_ reset_erased 0x20020000 0xFFFFFFFF 64 "reset vector 0xFFFFFFFF is outside the image"
# Shorter than a vector table (the padding to 16 bytes is erased flash, not a reset vector).
printf '\x00\x00\x02\x20' >"$T/four.bin"
make_elf "$T/four.elf" 0x01000200 "$T/four.bin"
refused 2 "this firmware cannot boot: 4 bytes cannot hold a vector table" "$FIX" \
    -- "${SIGN[@]}" "$T/four.elf" -o "$OUT"
ok "$N unbootable vector tables refused (ELF, HEX, raw), signed with --no-vector-check"

# Real vector tables pass, silently.
# pass WHAT ARGS...: sign succeeds with nothing on stderr.
pass() {
    local what=$1
    shift
    run_bleota "$T/p" "$@" -o "$OUT"
    [ "$RC" = 0 ] && [ ! -s "$T/p.err" ] || fail "$what: exit $RC, stderr '$(cat "$T/p.err")'"
}
tail -c +513 "$FIX_UART" >"$T/mchp_fw.bin" # Microchip's application: SP 0x2001FFF8, reset 0x01048C35
make_elf "$T/mchp_fw.elf" 0x01000200 "$T/mchp_fw.bin"
pass "Microchip's application (raw)" "${SIGN[@]}" "$T/mchp_fw.bin"
pass "Microchip's application (ELF)" "${SIGN[@]}" "$T/mchp_fw.elf"
cmp <(tail -c +513 "$OUT") "$T/mchp_fw.bin" || fail "Microchip's firmware changed by signing"
vectors "$T/top.bin" 0x20020000 0x0100023F 64 # SP at the top of RAM, reset at the last halfword
make_elf "$T/top.elf" 0x01000200 "$T/top.bin"
pass "SP at the top of RAM, reset vector at the image's end" "${SIGN[@]}" "$T/top.elf"
# Another board (QEMU mps2-an386: application at 0x00010200, 2 MiB RAM at 0x20000000).
vectors "$T/board.bin" 0x20200000 0x00010209 64
make_elf "$T/board.elf" 0x00010200 "$T/board.bin"
pass "another board's layout (--base 0x00010200)" "${SIGN[@]}" --base 0x00010200 "$T/board.elf"
ok "real vector tables pass: Microchip's application, RAM top, another board with --base"
# ...and that board's checks name its own address: a BZ2 reset vector in a board image.
vectors "$T/board2.bin" 0x20200000 0x01000209 64
make_elf "$T/board2.elf" 0x00010200 "$T/board2.bin"
refused 2 "reset vector 0x01000209 is outside the image (0x00010200-0x0001023F)" \
    "link the application at 0x00010200" -- "${SIGN[@]}" --base 0x00010200 "$T/board2.elf" -o "$OUT"
vectors "$T/board3.bin" 0x40000004 0x00010209 64
make_elf "$T/board3.elf" 0x00010200 "$T/board3.bin"
refused 2 "initial SP 0x40000004 is outside RAM (0x20000000-0x3FFFFFFF)" \
    -- "${SIGN[@]}" --base 0x00010200 "$T/board3.elf" -o "$OUT"
ok "with --base another board: the SRAM region and the board's address in the messages"
finish
