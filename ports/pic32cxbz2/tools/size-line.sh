#!/bin/sh
# size-line.sh SIZE_TOOL ELF: the bootloader's flash bytes (text + data, what the boot flash
# holds) against the boot flash budget, as one line; exit 1 when over it.
set -eu
budget=24064
n=$("$1" --format=berkeley "$2" | awk 'NR == 2 { print $1 + $2 }')
echo "bootloader (pic32cxbz2): $n bytes (budget $budget)"
[ "$n" -le "$budget" ] || { echo "bootloader (pic32cxbz2): over the boot flash budget by $((n - budget)) bytes" >&2; exit 1; }
