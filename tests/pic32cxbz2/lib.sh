# shellcheck shell=bash
# Shared by the PIC32CX-BZ2 build tests (sourced). Environment:
#   BO_BZ2_BUILD_DIR  the cross build (make pic32cxbz2: build/pic32cxbz2)   [required]
#   BO_BIN            host tools (bleota)
#   BO_TMP            scratch space
set -euo pipefail
B=${BO_BZ2_BUILD_DIR:?BO_BZ2_BUILD_DIR must name the PIC32CX-BZ2 build (make pic32cxbz2)}
BOOT=$B/apps/bootloader/pic32cxbz2/bootloader
APP=$B/apps/demo/pic32cxbz2
mkdir -p "${BO_TMP:-/tmp}"
T=$(mktemp -d "${BO_TMP:-/tmp}/bz2.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in "$BOOT.elf" "$BOOT.hex" "$BOOT.bin"; do
    [ -f "$f" ] || fail "missing $f: run make pic32cxbz2"
done
# sym NAME: "value size type" of an ELF symbol of the bootloader
sym() { arm-none-eabi-readelf -sW "$BOOT.elf" | awk -v n="$1" '$8 == n { print $2, $3, $4; exit }'; }
# sections: "name vma size" of every allocated section of the bootloader (hex, no 0x)
sections() {
    arm-none-eabi-objdump -h "$BOOT.elf" |
        awk '$1 ~ /^[0-9]+$/ { n = $2; s = $3; v = $4; next } n != "" && /ALLOC/ { print n, v, s } { n = "" }'
}
