#!/bin/sh
# size-line.sh SIZE_TOOL ELF: the bootloader's flash bytes (text + data, what the boot flash
# holds) against the boot flash and against the size target, Microchip's bootloader (18 222
# bytes), as `make size` does for the QEMU build: exit 1 when over either.
set -eu
budget=24064
target=18222
n=$("$1" --format=berkeley "$2" | awk 'NR == 2 { print $1 + $2 }')
if [ "$n" -le "$target" ]; then verdict="within"; else verdict="OVER BY $((n - target))"; fi
echo "bootloader (pic32cxbz2): $n bytes (boot flash $budget; target $target: $verdict)"
[ "$n" -le "$budget" ] || { echo "bootloader (pic32cxbz2): over the boot flash budget by $((n - budget)) bytes" >&2; exit 1; }
[ "$n" -le "$target" ] || { echo "bootloader (pic32cxbz2): over Microchip's $target bytes by $((n - target)): make it smaller before adding to it (docs/bootloader.md, \"Size\")" >&2; exit 1; }
