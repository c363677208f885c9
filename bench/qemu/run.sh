#!/usr/bin/env bash
# Deterministic instruction counts of bleota on the emulated Cortex-M4 (QEMU mps2-an386):
# raw AES-128-CBC (mbedTLS) and SHA-256 (BearSSL) per byte, the OTA receive path per byte (otas
# decrypt + DFU program + the bootloader's slot hash), one P-256 verify, authenticating a 256 KiB
# image, and whole boots over 480 KiB images (normal boot under both slot-0 policies, install
# over an authentic old image with its flash operations). Writes bench/qemu-report.md,
# bench/qemu-report.json (the rows with their targets, tests/bench/qemu_targets.sh) and
# bench/qemu-insns.txt (name value lines for the BLE timing model and the docs' figures); fails
# when a target is not met. Counts come from a TCG plugin built here against qemu-plugin.h from
# Debian's qemu source (the same version as the installed qemu-system-arm). Two guests:
# qemu_bench, linked as the application (the OTA path), and qemu_bench_boot, linked as the
# bootloader (crypto, verifier candidates, boots). `make bench` runs it.
# Environment: BO_M4_BUILD_DIR (default build/cortex-m4), BO_BIN (default build/bin).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
M4=${BO_M4_BUILD_DIR:-$ROOT/build/cortex-m4}
BIN=${BO_BIN:-$ROOT/build/bin}
DEPS=$ROOT/build/_deps
W=$ROOT/build/qemu-bench
ELF=$M4/bench-qemu/qemu_bench.elf           # linked as the application (OTA path)
ELF_BOOT=$M4/bench-qemu/qemu_bench_boot.elf # linked as the bootloader (crypto, boots)
FW_LEN=262144    # the "256 KiB image": FW_IMG_LEN
FW480_LEN=491520 # the "480 KiB image" of the boot rows
mkdir -p "$W" "$DEPS"

for e in "$ELF" "$ELF_BOOT"; do
    [ -f "$e" ] || { echo "bench/qemu: $e missing: build the cortex-m4 configuration first" >&2; exit 1; }
done
if [ ! -x "$BIN/bleota" ]; then
    cmake --preset host-release >/dev/null
    cmake --build --preset host-release -j"$(nproc 2>/dev/null || echo 2)" --target bleota
fi

# ---- the plugin header, from the source of the installed QEMU --------------------------------
HDR=$DEPS/qemu-plugin/qemu-plugin.h
if [ ! -f "$HDR" ]; then
    srcver=$(dpkg-query -W -f='${source:Version}' qemu-system-arm)
    mkdir -p "$DEPS/qemu-src" "$DEPS/qemu-plugin"
    if ! ls "$DEPS"/qemu-src/qemu_*.orig.tar.* >/dev/null 2>&1; then
        (cd "$DEPS/qemu-src" && apt-get source --download-only -qq "qemu=$srcver" </dev/null >/dev/null 2>&1) || {
            echo "bench/qemu: 'apt-get source qemu' failed: deb-src lines needed (scripts/fetch-mbedtls.sh adds them)" >&2
            exit 1
        }
    fi
    tarball=$(ls "$DEPS"/qemu-src/qemu_*.orig.tar.* | head -n 1)
    tar -xf "$tarball" -C "$DEPS/qemu-plugin" --wildcards '*/include/qemu/qemu-plugin.h'
    cp "$DEPS"/qemu-plugin/*/include/qemu/qemu-plugin.h "$HDR"
fi
PLUGIN=$W/libinsncount.so
gcc -O2 -fPIC -shared -Wall -Wextra -Werror -I"$(dirname "$HDR")" -o "$PLUGIN" bench/qemu/insncount.c

# ---- a 256 KiB firmware with fixed content, signed and encrypted with the benchmark keys -----
KEYS_H=bench/qemu/bench_keys.h
key=$(sed -n 's/.*BO_BENCH_AES_KEY_HEX "\(.*\)"/\1/p' $KEYS_H)
iv=$(sed -n 's/.*BO_BENCH_AES_IV_HEX "\(.*\)"/\1/p' $KEYS_H)
head -c $FW_LEN /dev/zero | openssl enc -aes-128-ctr -K "$key" -iv "$iv" -nosalt >"$W/fw.bin"
# 2/2 (firmware ECDSA too, Microchip's format): the authenticate figure covers both verifies
"$BIN/bleota" image sign --key bench/qemu/bench-signing.pem --version 1.0.0.1 --fw-auth ecdsa \
    --no-vector-check "$W/fw.bin" -o "$W/fw.signed" >/dev/null
"$BIN/bleota" image ota --aes-key "$key" --aes-iv "$iv" "$W/fw.signed" -o "$W/fw.ota" >/dev/null
size=$(($(stat -c %s "$W/fw.ota") - 16))

# ---- the boot rows' 480 KiB images, in the guest's RAM 512 KiB apart from 0x21080000 ---------
# old: v1 permanent, 2/2 (Microchip's format) and signed-digest; new: v2, 2/2, trial (bleota's
# default) and permanent (installed by copy)
KEY=bench/qemu/bench-signing.pem
fw480() { head -c $FW480_LEN /dev/zero | openssl enc -aes-128-ctr -K "$key" -iv "$1" -nosalt; }
fw480 00000000000000000000000000000001 >"$W/old480.bin"
fw480 00000000000000000000000000000002 >"$W/new480.bin"
sign480() { # OUT VERSION INPUT ARGS...
    local out=$1 ver=$2 in=$3
    shift 3
    "$BIN/bleota" image sign --key $KEY --version "$ver" --no-vector-check "$@" "$in" -o "$W/$out" >/dev/null
}
sign480 img0 1.0.0.1 "$W/old480.bin" --permanent --fw-auth ecdsa
sign480 img1 1.0.0.1 "$W/old480.bin" --permanent
sign480 img2 2.0.0.0 "$W/new480.bin" --fw-auth ecdsa
sign480 img3 2.0.0.0 "$W/new480.bin" --permanent --fw-auth ecdsa
LOADERS=()
for i in 0 1 2 3; do
    LOADERS+=(-device "loader,file=$W/img$i,addr=$(printf '0x%08x' $((0x21080000 + i * 0x80000)))")
done

# ---- run ----------------------------------------------------------------------------------------
# run_guest PART ELF QEMU-ARGS...: runs the guest twice (the counts must be identical: they are
# the report's claim) and pairs its "bench: NAME BYTES" lines with the plugin's "insns N" lines,
# in order, into $W/PART.results.txt ("NAME BYTES INSNS"); its log is $W/PART.log.
run_guest() {
    local part=$1 elf=$2 run rc start stop
    shift 2
    start=$(arm-none-eabi-nm "$elf" | awk '$3 == "bo_bench_start" { print "0x" $1 }')
    stop=$(arm-none-eabi-nm "$elf" | awk '$3 == "bo_bench_stop" { print "0x" $1 }')
    for run in 1 2; do
        rc=0
        timeout 900 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null \
            -plugin "$PLUGIN,start=$start,stop=$stop,out=$W/$part.counts.$run.txt" \
            -kernel "$elf" "$@" >"$W/$part.log" 2>&1 || rc=$?
        if [ "$rc" != 0 ]; then
            cat "$W/$part.log" >&2
            echo "bench/qemu: the guest $(basename "$elf") failed (exit $rc)" >&2
            exit 1
        fi
    done
    cmp -s "$W/$part.counts.1.txt" "$W/$part.counts.2.txt" || {
        echo "bench/qemu: two runs gave different counts" >&2
        diff "$W/$part.counts.1.txt" "$W/$part.counts.2.txt" >&2
        exit 1
    }
    grep '^bench: ' "$W/$part.log" | grep -v 'done' | awk '{ print $2, $3 }' >"$W/$part.names.txt"
    grep '^insns ' "$W/$part.counts.1.txt" | awk '{ print $2 }' >"$W/$part.insns.txt"
    [ "$(wc -l <"$W/$part.names.txt")" = "$(wc -l <"$W/$part.insns.txt")" ] ||
        { echo "bench/qemu: marker mismatch" >&2; exit 1; }
    paste -d' ' "$W/$part.names.txt" "$W/$part.insns.txt" >"$W/$part.results.txt"
}
run_guest app "$ELF" -semihosting-config enable=on,target=native,arg=bench,arg=size=$size \
    -device loader,file="$W/fw.ota",addr=0x21000000
run_guest boot "$ELF_BOOT" -semihosting-config enable=on,target=native,arg=bench "${LOADERS[@]}"

# NAME [PART]: the figures of one region (PART app, the default, or boot)
val() { awk -v n="$1" '$1 == n { print $3 }' "$W/${2:-app}.results.txt"; }
len() { awk -v n="$1" '$1 == n { print $2 }' "$W/${2:-app}.results.txt"; }
ov=$(val empty)
net() { echo $(($(val "$1" "${2:-app}") - $(val empty "${2:-app}"))); }
ipb() { awk -v a="$(net "$1" "${2:-app}")" -v b="$(len "$1" "${2:-app}")" 'BEGIN { printf "%.2f", a / b }'; }

aes=$(ipb raw_aes128_cbc_decrypt)
sha=$(ipb raw_sha256)
data=$(ipb ota_data_path)
hash=$(ipb slot_hash)
raw=$(awk -v a="$aes" -v b="$sha" 'BEGIN { printf "%.2f", a + b }')
# Per received byte. When otas hashes the plaintext as it streams (bench-info: streamed_hash 1)
# the data path is already decrypt + program + hash and the verdict needs no second read;
# otherwise add the bootloader's hash of the slot, spread over the received bytes.
streamed=$(sed -n 's/^bench-info: streamed_hash \([01]\)/\1/p' "$W/app.log")
if [ "$streamed" = 1 ]; then
    ota=$data
    ota_what="the OTA Data path (it hashes the plaintext as it streams)"
else
    ota=$(awk -v d="$data" -v h="$(net slot_hash)" -v n="$(len ota_data_path)" \
        'BEGIN { printf "%.2f", d + h / n }')
    ota_what="OTA Data path + the bootloader's slot hash"
fi
ratio=$(awk -v o="$ota" -v r="$raw" 'BEGIN { printf "%.3f", o / r }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.25) ? "within" : "NOT within" }')
qver=$(qemu-system-arm --version | head -n 1)
stack=$(sed -n 's/^stack: authenticate \([0-9]*\)/\1/p' "$W/app.log")

# flash operations of the install boots, and their time on BZ2 (the NOR model's figures:
# ports/posix/include/bleota/posix/nor.h, the timing model's too)
nor_h=ports/posix/include/bleota/posix/nor.h
erase_us=$(sed -n 's/^#define BO_NOR_ERASE_US_DEFAULT \([0-9]*\)u.*/\1/p' $nor_h)
prog_us=$(sed -n 's/^#define BO_NOR_PROG_US_DEFAULT \([0-9]*\)u.*/\1/p' $nor_h)
fl() { awk -v n="$1" -v w="$2" '$1 == "bench-flash:" && $2 == n && $3 == w { print $4 }' "$W/boot.log"; }
flash_ms() { awk -v e="$(fl "$1" erases)" -v u="$(fl "$1" units)" -v eu="$erase_us" -v pu="$prog_us" \
    'BEGIN { printf "%.0f", (e * eu + u * pu) / 1000 }'; }
ms64() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 64000 }'; } # at 64 MHz, one instruction a cycle

# the rows with targets (docs/performance.md "Boot time"; tests/bench/qemu_targets.sh checks them)
ecdsa=$(net ecdsa_verify boot)
sha_boot=$(ipb sha256_per_byte boot)
n2x2=$(net boot_normal_480k_2x2 boot)
ndig=$(net boot_normal_480k_digest boot)
npol=$(net boot_normal_480k_policy_install_only boot)
inst=$(net boot_install_480k_2x2 boot)
icpy=$(net boot_install_480k_2x2_copy boot)
inst_ms=$(flash_ms boot_install_480k_2x2)
icpy_ms=$(flash_ms boot_install_480k_2x2_copy)

cat >bench/qemu-insns.txt <<X
# bleota on Cortex-M4 (QEMU mps2-an386, $qver), instructions; bench/qemu/run.sh
aes128_cbc_ipb $aes
sha256_ipb $sha
ota_path_ipb $ota
ota_data_ipb $data
slot_hash_ipb $hash
ecdsa_p256_verify $(net ecdsa_p256_verify)
authenticate_256k $(net authenticate)
authenticate_stack_bytes $stack
boot_install_256k $(net boot_install)
ecdsa_verify $ecdsa
sha256_per_byte $sha_boot
boot_normal_480k_2x2 $n2x2
boot_normal_480k_digest $ndig
boot_normal_480k_policy_install_only $npol
boot_install_480k_2x2 $inst
boot_install_480k_2x2_flash_ms $inst_ms
boot_install_480k_2x2_erases $(fl boot_install_480k_2x2 erases)
boot_install_480k_2x2_copy $icpy
boot_install_480k_2x2_copy_flash_ms $icpy_ms
boot_install_480k_2x2_copy_erases $(fl boot_install_480k_2x2_copy erases)
ecdsa_bearssl_i31_m31 $(net ecdsa_bearssl_i31_m31 boot)
ecdsa_bearssl_i15_m31 $(net ecdsa_bearssl_i15_m31 boot)
ecdsa_bearssl_i31_m15 $(net ecdsa_bearssl_i31_m15 boot)
ecdsa_bearssl_i31_prime_i31 $(net ecdsa_bearssl_i31_prime_i31 boot)
X

row() { # NAME VALUE UNIT TARGET [FLASH_MS]
    printf '    {"name": "%s", "value": %s, "unit": "%s", "target_max": %s' "$1" "$2" "$3" "$4"
    [ -z "${5:-}" ] || printf ', "flash_ms": %s' "$5"
    printf '}'
}
{
    echo '{'
    echo '  "generator": "bench/qemu/run.sh",'
    echo "  \"qemu\": \"$qver\","
    echo '  "cpu_hz_for_times": 64000000,'
    echo '  "rows": ['
    row ecdsa_verify "$ecdsa" instructions 12000000; echo ,
    row sha256_per_byte "$sha_boot" instructions_per_byte 40; echo ,
    row boot_normal_480k_2x2 "$n2x2" instructions 45000000; echo ,
    row boot_normal_480k_digest "$ndig" instructions 33000000; echo ,
    row boot_install_480k_2x2 "$inst" instructions 120000000 "$inst_ms"; echo ,
    row boot_install_480k_2x2_copy "$icpy" instructions 120000000 "$icpy_ms"; echo ,
    row boot_normal_480k_policy_install_only "$npol" instructions 1000000; echo
    echo '  ],'
    echo '  "verifier_candidates": {'
    for c in i31_m31 i15_m31 i31_m15 i31_prime_i31; do
        printf '    "bearssl_%s": %s%s\n' $c "$(net ecdsa_bearssl_$c boot)" "$([ $c = i31_prime_i31 ] || echo ,)"
    done
    echo '  }'
    echo '}'
} >bench/qemu-report.json

cat >bench/qemu-report.md <<X
# bleota on a Cortex-M4: instruction counts under QEMU

Generated by \`bench/qemu/run.sh\` (\`make bench\`, after the Cortex-M4 build) with $qver.
Two guests from bench/qemu/bench_main.c, built \`-Os\` for Cortex-M4F with BearSSL 0.6 (SHA-256,
ECDSA P-256 verify: \`br_ecdsa_i31_vrfy_raw\` over \`br_ec_p256_m31\`) and mbedTLS 2.28
(AES-128-CBC), as the firmware is (docs/crypto.md): \`qemu_bench_boot\` linked as the bootloader
is (link-time optimised, its small memset/memmove) for the crypto and boot rows, \`qemu_bench\`
linked as the application is for the OTA path. Counts are guest instructions between two
marker functions, from a TCG plugin (bench/qemu/insncount.c); no interrupt is enabled and
nothing depends on host time, so every run gives the same numbers (run.sh runs each guest twice
and refuses to write a report if any count differs). QEMU counts instructions, not cycles: a
real M4 needs more cycles (flash wait states, multi-cycle loads); times below assume 64 MHz and
one instruction per cycle. Marker overhead ($ov instructions) is subtracted from every figure.

## Boot time (bench/qemu-report.json; targets: tests/bench/qemu_targets.sh)

| row | what | instructions | at 64 MHz | target |
|---|---|---:|---:|---:|
| \`ecdsa_verify\` | one ECDSA P-256 verification (\`bo_ecdsa_p256_verify\`: strict DER, BearSSL i31/m31) | $ecdsa | $(ms64 "$ecdsa") ms | ≤ 12 000 000 |
| \`sha256_per_byte\` | SHA-256 per byte (BearSSL, 16 KiB in RAM) | $sha_boot / byte | | ≤ 40 |
| \`boot_normal_480k_2x2\` | \`bo_boot_run\`, slot 0 authenticated (default policy): 480 KiB image signed 2/2 (two verifications) | $n2x2 | $(ms64 "$n2x2") ms | ≤ 45 000 000 |
| \`boot_normal_480k_digest\` | the same, signed-digest image (one verification) | $ndig | $(ms64 "$ndig") ms | ≤ 33 000 000 |
| \`boot_normal_480k_policy_install_only\` | the 2/2 image, \`BO_BOOT_CHECK_AFTER_INSTALL\`: slot 0 vouched for by the status page, its header read | $npol | $(ms64 "$npol") ms | ≤ 1 000 000 |
| \`boot_install_480k_2x2\` | install boot: a 480 KiB trial image (2/2) over an authentic old one: slot 1 authenticated, old image hashed for the revert, swap, new slot 0 proven by one hash | $inst | $(ms64 "$inst") ms + $inst_ms ms of flash ($(fl boot_install_480k_2x2 erases) page erases, $(fl boot_install_480k_2x2 units) program units) | ≤ 120 000 000 |
| \`boot_install_480k_2x2_copy\` | the same with a permanent image: copy install, slot 0 proven by one hash | $icpy | $(ms64 "$icpy") ms + $icpy_ms ms of flash ($(fl boot_install_480k_2x2_copy erases) page erases, $(fl boot_install_480k_2x2_copy units) program units) | ≤ 120 000 000 |

Flash times use the BZ2-class figures of the NOR model (${erase_us} µs per page erase,
${prog_us} µs per 16-byte program unit, single bank: the CPU waits). The instruction counts of
the install rows include the QEMU flash driver's own work (an erase is a 4 KiB memset in RAM
there, a program a copy), which a chip's flash controller does instead.

## The verifier and its candidates (BearSSL 0.6, the same signature, raw r||s)

| BearSSL configuration | P-256 verify, instructions |
|---|---:|
| \`br_ecdsa_i31_vrfy_raw\` + \`br_ec_p256_m31\` (the firmware's; \`ecdsa_verify\` above adds bleota's DER parser and range checks) | $(net ecdsa_bearssl_i31_m31 boot) |
| \`br_ecdsa_i15_vrfy_raw\` + \`br_ec_p256_m31\` | $(net ecdsa_bearssl_i15_m31 boot) |
| \`br_ecdsa_i31_vrfy_raw\` + \`br_ec_p256_m15\` | $(net ecdsa_bearssl_i31_m15 boot) |
| \`br_ecdsa_i31_vrfy_raw\` + \`br_ec_prime_i31\` (generic curves) | $(net ecdsa_bearssl_i31_prime_i31 boot) |

## OTA path and parts

| measurement | bytes | instructions | per byte |
|---|---:|---:|---:|
| raw mbedTLS AES-128-CBC decrypt (16 KiB in RAM) | $(len raw_aes128_cbc_decrypt) | $(net raw_aes128_cbc_decrypt) | $aes |
| raw BearSSL SHA-256 (16 KiB in RAM) | $(len raw_sha256) | $(net raw_sha256) | $sha |
| **raw crypto, AES-128-CBC + SHA-256** | | | **$raw** |
| bleota's AES adapter (bo_aes_cbc_update, 16 KiB) | $(len bo_aes_cbc_decrypt) | $(net bo_aes_cbc_decrypt) | $(ipb bo_aes_cbc_decrypt) |
| NOR driver alone (program 16 B + read it back, per unit) | $(len nor_prog_read_16) | $(net nor_prog_read_16) | $(ipb nor_prog_read_16) |
| DFU writer + NOR driver (bo_dfu_write of 64 B, program + read-back per 16 B) | $(len dfu_write) | $(net dfu_write) | $(ipb dfu_write) |
| OTA Data path: otas writes of 244 B (decrypt, DFU program + read-back, NOR driver$([ "$streamed" = 1 ] && echo ", streamed SHA-256")) | $(len ota_data_path) | $(net ota_data_path) | $data |
| slot 1 firmware hash as the bootloader reads it (256 B flash reads + SHA-256) | $(len slot_hash) | $(net slot_hash) | $hash |
| **OTA path per received byte: $ota_what** | | | **$ota** |
| one ECDSA P-256 verify (bo_ecdsa_p256_verify) | | $(net ecdsa_p256_verify) | |
| authenticate slot 1 with a 256 KiB firmware (bo_boot_authenticate: 2 hashes, 2 verifies) | $(len authenticate) | $(net authenticate) | |
| first boot after the update, slot 0 empty: bo_boot_run authenticates slot 1, copies it and proves the copy by hash | $(len boot_install) | $(net boot_install) | |

OTA path / raw crypto = **$ratio** ($verdict the 1.25 budget).

Stack used by one authenticate call (painted, within 256 bytes): $stack bytes — what an
application calling the bootloader's exported authenticate must leave free.

The images: $FW_LEN bytes of firmware (fixed content), signed with the benchmark's own key
(bench/qemu/bench-signing.pem, deterministic RFC 6979 signatures) and AES-128-CBC encrypted;
$size bytes are sent. The boot rows' images hold $FW480_LEN bytes of firmware each (old v1.0.0.1,
new v2.0.0.0, same key). Machine-readable figures: bench/qemu-report.json, bench/qemu-insns.txt.
X
cat bench/qemu-report.md
echo
echo "targets (bench/qemu-report.json):"
sh tests/bench/qemu_targets.sh bench/qemu-report.json
