#!/bin/sh
# fw-size.sh BOOT.elf BOOT_BUDGET DEMO.elf DEMO.map: the `make size` lines for this board.
#   bootloader: text + data against its budget (BZ2's 24 064-byte boot flash)
#   demo: flash / RAM of the whole image, and of the OTA stack's bo_* libraries inside it,
#         summed from the linker map over the input sections that were actually linked.
set -eu
boot=$1 budget=$2 demo=$3 map=$4
size=${SIZE:-arm-none-eabi-size}

"$size" -B "$boot" | awk -v b="$budget" 'NR == 2 {
    n = $1 + $2
    printf "bootloader: %d bytes (budget %d)%s\n", n, b, (n > b ? "  OVER BUDGET" : "") }'
"$size" -B "$demo" | awk 'NR == 2 {
    printf "demo: %d bytes flash (text+data), %d bytes RAM (data+bss) + 16384 stack\n", $1 + $2, $2 + $3 }'

# Linker map: after "Linker script and memory map", output sections start in column 0 and
# input sections in column 1, with "addr size file" on the same or the next line.
awk '
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
    n = split("bo_common bo_crypto bo_img bo_dfu bo_boot bo_att bo_otas bo_otas_att bo_ota", order, " ")
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
}' "$map"
nm=${NM:-arm-none-eabi-nm}
state=$("$nm" -S "$demo" | awk '$4 == "demo" { print $2 }')
[ -z "$state" ] || echo "demo OTA state in RAM (bo_ota_t with otas+dfu, ATT db/server, link buffers; owned by the app): $((0x$state)) bytes"
