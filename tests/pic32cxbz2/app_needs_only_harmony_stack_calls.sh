#!/usr/bin/env bash
# The example application links with every bleota part and the port, and what stays
# undefined is exactly the Harmony stack and PDS calls of harmony_stack_calls.txt, each
# declared (a function prototype or an extern) in Microchip's header that the list names:
# nothing else is needed from outside bleota, and nothing bleota needs is missing.
source "$(dirname "$0")/lib.sh"
LIST=$(dirname "$0")/harmony_stack_calls.txt
ELF=$APP/app_ble_ota_linkcheck.elf
HDR=${BO_HARMONY_DIR:?BO_HARMONY_DIR must name the Harmony headers (cmake/fixtures.cmake)}
[ -f "$ELF" ] || fail "missing $ELF: run make pic32cxbz2"
arm-none-eabi-nm -u "$ELF" | awk '{ print $2 }' | sort >"$T/needed"
grep -v '^#' "$LIST" | awk 'NF { print $1 }' | sort >"$T/listed"
diff -u "$T/listed" "$T/needed" ||
    fail "the application needs other symbols from outside bleota (+) than the list (-)"
grep -v '^#' "$LIST" | while read -r sym header; do
    [ -n "$sym" ] || continue
    [ -f "$HDR/$header" ] || fail "$header: not in $HDR"
    grep -Eq "(^|[^A-Za-z0-9_])$sym[[:space:]]*[\\[(]" "$HDR/$header" ||
        fail "$sym is not declared in $header"
done
echo "needs from Microchip's stack: $(tr '\n' ' ' <"$T/needed")"
echo "pic32cxbz2_app_needs_only_harmony_stack_calls: ok"
