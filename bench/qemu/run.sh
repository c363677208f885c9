#!/usr/bin/env bash
# Deterministic instruction counts of bleota on the emulated Cortex-M4 (QEMU mps2-an386):
# raw mbedTLS AES-128-CBC and SHA-256 per byte, the OTA receive path per byte (otas decrypt +
# DFU program + the bootloader's slot hash), one P-256 verify, and authenticating a 256 KiB
# image. Writes bench/qemu-report.md and bench/qemu-insns.txt (name value lines for the BLE
# timing model). Counts come from a TCG plugin built here against qemu-plugin.h from Debian's
# qemu source (the same version as the installed qemu-system-arm).
# Environment: BO_M4_BUILD_DIR (default build/cortex-m4), BO_BIN (default build/bin).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
M4=${BO_M4_BUILD_DIR:-$ROOT/build/cortex-m4}
BIN=${BO_BIN:-$ROOT/build/bin}
DEPS=$ROOT/build/_deps
W=$ROOT/build/qemu-bench
ELF=$M4/bench-qemu/qemu_bench.elf
FW_LEN=262144 # the "256 KiB image": FW_IMG_LEN
mkdir -p "$W" "$DEPS"

[ -f "$ELF" ] || { echo "bench/qemu: $ELF missing: build the cortex-m4 configuration first" >&2; exit 1; }
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

# ---- run ----------------------------------------------------------------------------------------
addr() { arm-none-eabi-nm "$ELF" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
start=$(addr bo_bench_start)
stop=$(addr bo_bench_stop)
# Twice: the counts must be identical (they are the report's claim).
for run in 1 2; do
    rc=0
    timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial null \
        -semihosting-config enable=on,target=native,arg=bench,arg=size=$size \
        -plugin "$PLUGIN,start=$start,stop=$stop,out=$W/counts.$run.txt" \
        -kernel "$ELF" -device loader,file="$W/fw.ota",addr=0x21000000 >"$W/guest.log" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
        cat "$W/guest.log" >&2
        echo "bench/qemu: the guest failed (exit $rc)" >&2
        exit 1
    fi
done
cmp -s "$W/counts.1.txt" "$W/counts.2.txt" || {
    echo "bench/qemu: two runs gave different counts" >&2
    diff "$W/counts.1.txt" "$W/counts.2.txt" >&2
    exit 1
}
cp "$W/counts.1.txt" "$W/counts.txt"

# ---- pair "bench: NAME BYTES" with "insns N", in order -----------------------------------------
grep '^bench: ' "$W/guest.log" | grep -v 'done' | awk '{ print $2, $3 }' >"$W/names.txt"
grep '^insns ' "$W/counts.txt" | awk '{ print $2 }' >"$W/insns.txt"
[ "$(wc -l <"$W/names.txt")" = "$(wc -l <"$W/insns.txt")" ] || { echo "bench/qemu: marker mismatch" >&2; exit 1; }
paste -d' ' "$W/names.txt" "$W/insns.txt" >"$W/results.txt"
val() { awk -v n="$1" '$1 == n { print $3 }' "$W/results.txt"; }
len() { awk -v n="$1" '$1 == n { print $2 }' "$W/results.txt"; }
ov=$(val empty)
net() { echo $(($(val "$1") - ov)); }
ipb() { awk -v a="$(net "$1")" -v b="$(len "$1")" 'BEGIN { printf "%.2f", a / b }'; }

aes=$(ipb raw_aes128_cbc_decrypt)
sha=$(ipb raw_sha256)
data=$(ipb ota_data_path)
hash=$(ipb slot_hash)
raw=$(awk -v a="$aes" -v b="$sha" 'BEGIN { printf "%.2f", a + b }')
# Per received byte. When otas hashes the plaintext as it streams (bench-info: streamed_hash 1)
# the data path is already decrypt + program + hash and the verdict needs no second read;
# otherwise add the bootloader's hash of the slot, spread over the received bytes.
streamed=$(sed -n 's/^bench-info: streamed_hash \([01]\)/\1/p' "$W/guest.log")
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
stack=$(sed -n 's/^stack: authenticate \([0-9]*\)/\1/p' "$W/guest.log")

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
X

cat >bench/qemu-report.md <<X
# bleota on a Cortex-M4: instruction counts under QEMU

Generated by \`bench/qemu/run.sh\` (run it after \`make cortex-m4\`) with $qver.
Guest: \`qemu_bench\` (bench/qemu/bench_main.c), built \`-Os\` for Cortex-M4F with mbedTLS 2.28
in bleota's configuration (include/bleota/mbedtls/bleota_mbedtls_config.h). Counts are guest
instructions between two marker functions, from a TCG plugin (bench/qemu/insncount.c); no
interrupt is enabled and nothing depends on host time, so every run gives the same numbers
(run.sh runs the guest twice and refuses to write a report if any count differs). QEMU counts
instructions, not cycles: a real M4 needs more cycles (flash wait states, multi-cycle loads).
Marker overhead ($ov instructions) is subtracted from every figure.

| measurement | bytes | instructions | per byte |
|---|---:|---:|---:|
| raw mbedTLS AES-128-CBC decrypt (16 KiB in RAM) | $(len raw_aes128_cbc_decrypt) | $(net raw_aes128_cbc_decrypt) | $aes |
| raw mbedTLS SHA-256 (16 KiB in RAM) | $(len raw_sha256) | $(net raw_sha256) | $sha |
| **raw crypto, AES-128-CBC + SHA-256** | | | **$raw** |
| bleota's AES adapter (bo_aes_cbc_update, 16 KiB) | $(len bo_aes_cbc_decrypt) | $(net bo_aes_cbc_decrypt) | $(ipb bo_aes_cbc_decrypt) |
| NOR driver alone (program 16 B + read it back, per unit) | $(len nor_prog_read_16) | $(net nor_prog_read_16) | $(ipb nor_prog_read_16) |
| DFU writer + NOR driver (bo_dfu_write of 64 B, program + read-back per 16 B) | $(len dfu_write) | $(net dfu_write) | $(ipb dfu_write) |
| OTA Data path: otas writes of 244 B (decrypt, DFU program + read-back, NOR driver$([ "$streamed" = 1 ] && echo ", streamed SHA-256")) | $(len ota_data_path) | $(net ota_data_path) | $data |
| slot 1 firmware hash as the bootloader reads it (256 B flash reads + SHA-256) | $(len slot_hash) | $(net slot_hash) | $hash |
| **OTA path per received byte: $ota_what** | | | **$ota** |
| one ECDSA P-256 verify (bo_ecdsa_p256_verify) | | $(net ecdsa_p256_verify) | |
| authenticate slot 1 with a 256 KiB firmware (bo_boot_authenticate: 2 hashes, 2 verifies) | $(len authenticate) | $(net authenticate) | |
| first boot after the update: bo_boot_run authenticates, installs (erase + copy + compare) and validates | $(len boot_install) | $(net boot_install) | |

OTA path / raw crypto = **$ratio** ($verdict the 1.25 budget).

Stack used by one authenticate call (painted, within 256 bytes): $stack bytes — what an
application calling the bootloader's exported authenticate must leave free.

The image: $FW_LEN bytes of firmware (fixed content), signed with the benchmark's own key
(bench/qemu/bench-signing.pem, deterministic RFC 6979 signatures) and AES-128-CBC encrypted;
$size bytes are sent. Machine-readable figures: bench/qemu-insns.txt.
X
cat bench/qemu-report.md
