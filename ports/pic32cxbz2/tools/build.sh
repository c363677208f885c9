#!/bin/sh
# make pic32cxbz2 (and `make test`): the PIC32CX-BZ2 / WBZ451 build with arm-none-eabi-gcc into
# build/pic32cxbz2: bootloader.elf/.hex/.bin (boot flash, authenticate_fw_image at 0x5000), the
# port library, the Harmony BLE binding and the application link check, against Microchip's
# headers: BO_HARMONY_DIR if set (for this run: unset goes back to the default), else
# ../shared/fixtures/harmony, else the pinned files fetched into build/fixtures/harmony. Ends with
# the bootloader's size line.
set -eu
cd "$(dirname "$0")/../../.."
JOBS=$(nproc 2>/dev/null || echo 2)
B=build/pic32cxbz2
sh scripts/fetch-mbedtls.sh build/_deps
sh scripts/fetch-bearssl.sh build/_deps
configure() {
    cmake --preset pic32cxbz2 -DBO_MBEDTLS_SRC="$PWD/build/_deps/mbedtls" \
        -DBO_BEARSSL_SRC="$PWD/build/_deps/bearssl" -DBO_HARMONY_DIR="${BO_HARMONY_DIR:-}" "$@"
}
# Without the headers the configure stops after recording where it looked (fixtures.dirs):
# fetch them there and configure again.
if ! configure >"$B.configure.log" 2>&1; then
    sh scripts/fetch-fixtures.sh --auto "$B"
    configure >/dev/null
fi
cmake --build --preset pic32cxbz2 -j"$JOBS"
ls "$B"/apps/bootloader/pic32cxbz2/bootloader.elf "$B"/apps/bootloader/pic32cxbz2/bootloader.hex \
   "$B"/apps/bootloader/pic32cxbz2/bootloader.bin "$B"/apps/demo/pic32cxbz2/app_ble_ota_linkcheck.elf
sh ports/pic32cxbz2/tools/size-line.sh arm-none-eabi-size "$B"/apps/bootloader/pic32cxbz2/bootloader.elf
