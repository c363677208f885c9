#!/usr/bin/env bash
# The bootloader image as Microchip's boot flash and applications expect it: within 0x0-0x5DFF
# (24 064 bytes) and no larger than Microchip's bootloader, 18 222 bytes (the size line says
# so), vector table at 0x0 with the initial stack below the API's RAM and the reset vector on
# Reset_Handler (Thumb), authenticate_fw_image a Thumb function at exactly 0x5000, the API's
# static RAM inside 0x2001FC00-0x2001FFFF, and .bin/.hex holding the same bytes as the ELF.
source "$(dirname "$0")/lib.sh"

line=$(sh "$(dirname "$0")/../../ports/pic32cxbz2/tools/size-line.sh" arm-none-eabi-size "$BOOT.elf")
echo "$line"
re='^bootloader \(pic32cxbz2\): ([0-9]+) bytes \(boot flash 24064; target 18222: within\)$'
[[ $line =~ $re ]] || fail "size line: $line (over Microchip's 18 222-byte bootloader)"

read -r v s t <<<"$(sym authenticate_fw_image)"
[ "$t" = FUNC ] || fail "authenticate_fw_image is not a function ($t)"
[ "$((16#$v))" = $((0x5001)) ] || fail "authenticate_fw_image at 0x$v, not Thumb 0x5000"
echo "authenticate_fw_image: Thumb entry 0x$v, $s bytes"

read -r _ va vs <<<"$(sections | awk '$1 == ".vectors"')"
[ "$((16#${va:-1}))" = 0 ] && [ "$((16#${vs:-0}))" = 224 ] || fail ".vectors not 224 bytes at 0x0"
# words 0 and 1 of the image: initial MSP, reset vector
msp=$(od -An -tx4 -N4 "$BOOT.bin" | tr -d ' ')
rv=$(od -An -tx4 -j4 -N4 "$BOOT.bin" | tr -d ' ')
read -r rh _ _ <<<"$(sym Reset_Handler)"
[ "$((16#$rv))" = "$((16#$rh))" ] && [ $((16#$rv & 1)) = 1 ] || fail "reset vector 0x$rv, Reset_Handler 0x$rh"
[ "$((16#$msp))" = $((0x2001FC00)) ] || fail "initial MSP 0x$msp (want 0x2001FC00, below the API RAM)"
echo "vector table at 0x0: MSP 0x$msp, reset 0x$rv"

# every allocated byte: flash below 0x5E00, RAM of the API inside the top 1 KiB
while read -r name addr size; do
    a=$((16#$addr)) n=$((16#$size))
    case $name in
        .api_data|.api_bss)
            [ "$a" -ge $((0x2001FC00)) ] && [ $((a + n)) -le $((0x20020000)) ] ||
                fail "$name [0x$addr, +$n) outside the API RAM 0x2001FC00-0x2001FFFF" ;;
        .data|.bss|.ramfunc) ;;
        *) [ $((a + n)) -le $((0x5E00)) ] || fail "$name ends past the boot flash (0x$addr + $n)" ;;
    esac
done < <(sections)

# the .bin is the flash image from 0x0: it holds the API entry's bytes at 0x5000
arm-none-eabi-objcopy -O binary -j .api_entry "$BOOT.elf" "$T/entry.bin"
cmp -s -n "$(stat -c %s "$T/entry.bin")" "$T/entry.bin" <(tail -c +$((0x5000 + 1)) "$BOOT.bin") ||
    fail "bootloader.bin does not hold the entry's code at 0x5000"
[ "$(stat -c %s "$BOOT.bin")" -le 24064 ] || fail "bootloader.bin is larger than the boot flash"
grep -q '^:' "$BOOT.hex" || fail "bootloader.hex is not Intel HEX"
echo "pic32cxbz2_bootloader_layout: ok"
