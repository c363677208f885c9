#!/usr/bin/env bash
# The application on the Harmony binding links against stubs of Microchip's stack (so nothing
# is left undefined), and the stubs are exactly what it needs: linked without them, the
# symbols left undefined are the stubs' symbols, one for one.
source "$(dirname "$0")/lib.sh"
[ -f "$APP/app_ble_ota.elf" ] || fail "missing $APP/app_ble_ota.elf"
[ -z "$(arm-none-eabi-nm -u "$APP/app_ble_ota.elf")" ] || fail "undefined symbols in app_ble_ota.elf"
arm-none-eabi-nm -u "$APP/app_ble_ota_unresolved.elf" | awk '{ print $2 }' | sort >"$T/needed"
arm-none-eabi-nm --defined-only "$APP/libbo_bz2_stack_stubs.a" | awk 'NF == 3 { print $3 }' |
    sort >"$T/stubbed"
diff -u "$T/stubbed" "$T/needed" || fail "the stubs (-) differ from what the application needs (+)"
echo "needs from Microchip's stack: $(tr '\n' ' ' <"$T/needed")"
arm-none-eabi-size "$APP/app_ble_ota.elf"
echo "pic32cxbz2_app_needs_only_stubbed_stack_calls: ok"
