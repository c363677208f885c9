#!/bin/sh
# size-line.sh SIZE_TOOL ELF: the bootloader's flash bytes (text + data, what the boot flash
# holds) against the boot flash (exit 1 when over it) and against the size target, Microchip's
# bootloader (18 222 bytes; reported, as `make size` does for the QEMU build).
set -eu
budget=24064
target=18222
n=$("$1" --format=berkeley "$2" | awk 'NR == 2 { print $1 + $2 }')
if [ "$n" -le "$target" ]; then verdict="within"; else verdict="OVER BY $((n - target))"; fi
echo "bootloader (pic32cxbz2): $n bytes (boot flash $budget; target $target: $verdict)"
[ "$n" -le "$budget" ] || { echo "bootloader (pic32cxbz2): over the boot flash budget by $((n - budget)) bytes" >&2; exit 1; }
