#!/bin/sh
# fw-size.sh BOOT.elf BOOT_BUDGET DEMO.elf DEMO.map: the `make size` lines for this board.
#   bootloader: text + data against its budget (Microchip's bootloader, 18 222 bytes): every
#               line is still printed and reported, then the script fails when it is over
#   demo: flash / RAM of the whole image, and of the OTA stack's bo_* libraries inside it,
#         summed from the linker map over the input sections that were actually linked.
# With REPORT=FILE the same figures (and their parts) also go to FILE as `size.<what> N` lines,
# machine-readable for the docs check (docs/figures.md).
set -eu
boot=$1 budget=$2 demo=$3 map=$4
size=${SIZE:-arm-none-eabi-size}
rep=""
if [ -n "${REPORT:-}" ]; then
    rep="$REPORT.tmp"
    : > "$rep"
fi

"$size" -B "$boot" | awk -v b="$budget" -v rep="$rep" 'NR == 2 {
    n = $1 + $2
    printf "bootloader: %d bytes (budget %d: %s)\n", n, b, (n > b ? "OVER BY " (n - b) : "within")
    if (rep != "") printf "size.boot.flash %d\nsize.boot.budget %d\nsize.boot.free %d\nsize.boot.text %d\nsize.boot.data %d\nsize.boot.bss %d\nsize.boot.ram %d\n", n, b, b - n, $1, $2, $3, $2 + $3 >> rep }'
"$size" -B "$demo" | awk -v rep="$rep" 'NR == 2 {
    printf "demo: %d bytes flash (text+data), %d bytes RAM (data+bss) + 16384 stack\n", $1 + $2, $2 + $3
    if (rep != "") printf "size.demo.flash %d\nsize.demo.ram %d\nsize.demo.stack 16384\n", $1 + $2, $2 + $3 >> rep }'

# Linker map: after "Linker script and memory map", output sections start in column 0 and
# input sections in column 1, with "addr size file" on the same or the next line.
awk -v rep="$rep" '
function hex(s,   i, c, v) { # "0x1a4" -> 420 (POSIX awk has no strtonum)
    v = 0; s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
}
function add(sz, file,   lib) {
    if (file !~ /libbo_[a-z_]+\.a\(/) return
    lib = file; sub(/.*libbo_/, "bo_", lib); sub(/\.a\(.*/, "", lib)
    sz = hex(sz)
    if (out == ".text" || out == ".ARM.exidx") flash[lib] += sz
    else if (out == ".data") { flash[lib] += sz; ram[lib] += sz }
    else if (out == ".bss") ram[lib] += sz
    seen[lib] = 1
}
/^Linker script and memory map/ { go = 1; next }
!go { next }
/^\.[A-Za-z_]/ { out = $1; pending = 0; next }
/^ \.[^ ]/ { if (NF >= 4) add($3, $4); else pending = 1; next }
pending && /^ +0x/ { if (NF >= 3) add($2, $3); pending = 0; next }
{ pending = 0 }
END {
    n = split("bo_common bo_crypto bo_img bo_delta bo_dfu bo_boot bo_att bo_otas bo_otas_att bo_ota bo_ota_att", order, " ")
    for (i = 1; i <= n; i++) {
        l = order[i]
        if (!(l in seen)) continue
        f += flash[l]; r += ram[l]; names = names " " l
    }
    printf "demo OTA stack (bleota core:%s): %d bytes flash, %d bytes RAM\n", names, f, r
    printf "demo OTA stack + mbedTLS (bo_mbedcrypto): %d bytes flash, %d bytes RAM\n",
        f + flash["bo_mbedcrypto"], r + ram["bo_mbedcrypto"]
    printf "demo board port (bo_port_qemu): %d bytes flash, %d bytes RAM\n",
        flash["bo_port_qemu"], ram["bo_port_qemu"]
    printf "demo delta patch decoder (bo_delta, inside the OTA stack): %d bytes flash\n",
        flash["bo_delta"]
    if (rep != "") {
        printf "size.demo.ota_stack.flash %d\nsize.demo.ota_stack.ram %d\n", f, r >> rep
        printf "size.demo.ota_stack_mbedtls.flash %d\nsize.demo.ota_stack_mbedtls.ram %d\n",
            f + flash["bo_mbedcrypto"], r + ram["bo_mbedcrypto"] >> rep
        printf "size.demo.port.flash %d\nsize.demo.port.ram %d\n", flash["bo_port_qemu"], ram["bo_port_qemu"] >> rep
        for (l in seen) printf "size.demo.lib.%s.flash %d\nsize.demo.lib.%s.ram %d\n", l, flash[l], l, ram[l] >> rep
    }
}' "$map"
nm=${NM:-arm-none-eabi-nm}
state=$("$nm" -S "$demo" | awk '$4 == "demo" { print $2 }')
probe=$(dirname "$demo")/../../libbo_delta_ram_probe.a
dram=""
[ -f "$probe" ] && dram=$("$nm" -S "$probe" | awk '$4 == "bo_delta_ram_probe" { print $2 }')
[ -z "$dram" ] || echo "delta patch RAM in the OTA state (decoder, patch header, counters; inside the figure below): $((0x$dram)) bytes"
[ -z "$state" ] || echo "demo OTA state in RAM (bo_ota_t with otas+dfu, ATT db/server, link buffers; owned by the app): $((0x$state)) bytes"
if [ -n "$rep" ]; then
    [ -z "$state" ] || echo "size.demo.ota_state $((0x$state))" >> "$rep"
    [ -z "$dram" ] || echo "size.delta.ram $((0x$dram))" >> "$rep"
    sort "$rep" > "$REPORT"
    rm -f "$rep"
    echo "(machine-readable: $REPORT)"
fi
boot_n=$("$size" -B "$boot" | awk 'NR == 2 { print $1 + $2 }')
if [ "$boot_n" -gt "$budget" ]; then
    echo "bootloader: $boot_n bytes is over its budget of $budget (Microchip's bootloader) by" \
        "$((boot_n - budget)): make it smaller before adding to it (docs/bootloader.md, \"Size\")" >&2
    exit 1
fi
