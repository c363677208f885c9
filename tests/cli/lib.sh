# Shared helpers for the bleota CLI tests (sourced). Needs BO_BIN, BO_FIXTURES, BO_TMP.
set -u
BLEOTA="$BO_BIN/bleota"
FIX_OTA="$BO_FIXTURES/ble_Sensor_OTA.bin"
FIX_UART="$BO_FIXTURES/ext_light.X.production.signed_1.0.0.1_uart.bin"
FIX_KEY="$BO_FIXTURES/mchp_default_dev_key.pem"
MCHP_AES=AABBCCDDEEFF00112233445566778899
ZERO_IV=00000000000000000000000000000000
FAILS=0

# A fresh scratch directory per script, removed on success.
T="$BO_TMP/cli-$(basename "$0" .sh)"
rm -rf "$T"
mkdir -p "$T"

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$FAILS failure(s)" >&2
        exit 1
    fi
    rm -rf "$T"
    echo "all passed"
    exit 0
}

# flip FILE OFFSET [MASK]: XOR one byte in place (default mask 0x5A).
flip() {
    local f=$1 off=$2 mask=${3:-90} orig
    orig=$(od -An -tu1 -j "$off" -N1 "$f" | tr -d ' ')
    printf "\\$(printf %03o $(( orig ^ mask )))" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# size FILE
size() { stat -c %s "$1"; }

# byte FILE OFFSET
byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# run_bleota OUTPREFIX args...: runs bleota, stdout to OUTPREFIX.out, stderr to OUTPREFIX.err,
# sets RC.
run_bleota() {
    local p=$1
    shift
    set +e
    "$BLEOTA" "$@" >"$p.out" 2>"$p.err"
    RC=$?
    set -e
}

# ---- crafting inputs without a toolchain ----
# le16/le32 VALUE: binary little-endian bytes on stdout.
le16() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))"; }
le32() {
    if [ $# -eq 2 ]; then # le32 FILE OFFSET: read (see above)
        od -An -tu4 -j "$2" -N4 --endian=little "$1" | tr -d ' '
        return
    fi
    le16 $(($1 & 0xFFFF))
    le16 $((($1 >> 16) & 0xFFFF))
}

# make_elf OUT PADDR1 FILE1 [PADDR2 FILE2]: a minimal ELF32 LE ARM executable whose PT_LOAD
# segments hold FILE1 (and FILE2) at those physical addresses; segment 2 gets a different virtual
# address (0x20000000), as .data does, so the loader must use the load address.
make_elf() {
    local out=$1 a1=$2 f1=$3 a2=${4:-} f2=${5:-} n=1 s1 s2=0 off1 off2
    if [ -n "$a2" ]; then
        n=2
        s2=$(size "$f2")
    fi
    s1=$(size "$f1")
    off1=$((52 + 32 * n))
    off2=$((off1 + s1))
    {
        printf '\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'
        le16 2; le16 40; le32 1; le32 "$a1"; le32 52; le32 0; le32 0x05000000
        le16 52; le16 32; le16 "$n"; le16 40; le16 0; le16 0
        le32 1; le32 "$off1"; le32 "$a1"; le32 "$a1"; le32 "$s1"; le32 "$s1"; le32 5; le32 4
        if [ "$n" = 2 ]; then
            le32 1; le32 "$off2"; le32 0x20000000; le32 "$a2"; le32 "$s2"; le32 $((s2 + 64)); le32 6; le32 4
        fi
        cat "$f1"
        if [ "$n" = 2 ]; then cat "$f2"; fi
    } >"$out"
}

# ihex_data FILE ADDR: Intel HEX records (04 + 00, 16 bytes each) for FILE placed at ADDR, no EOF.
ihex_data() {
    local f=$1 addr=$2 upper=-1 line bytes n i sum rec a
    od -An -v -tx1 -w16 "$f" | while read -r line; do
        set -- $line
        n=$#
        if [ $((addr >> 16)) -ne "$upper" ]; then
            upper=$((addr >> 16))
            sum=$(((2 + 4 + (upper >> 8) + (upper & 255)) & 255))
            printf ':02000004%04X%02X\n' "$upper" $(((256 - sum) & 255))
        fi
        a=$((addr & 0xFFFF))
        sum=$((n + (a >> 8) + (a & 255)))
        rec=$(printf '%02X%04X00' "$n" "$a")
        for i in "$@"; do
            rec="$rec${i^^}"
            sum=$((sum + 16#$i))
        done
        printf ':%s%02X\n' "$rec" $(((256 - (sum & 255)) & 255))
        addr=$((addr + n))
    done
}
IHEX_EOF=':00000001FF'

# make_fw OUT SIZE [ADDR]: SIZE bytes (>= 16) of firmware linked at ADDR (default 0x01000200,
# BZ2 slot 0) that `image sign` accepts: a vector table (initial SP at the top of the BZ2's RAM,
# a Thumb reset vector just past the table, inside the image), then random bytes.
make_fw() {
    local out=$1 n=$2 addr=${3:-0x01000200}
    { le32 0x20020000; le32 $((addr + 8 + 1)); head -c $((n - 8)) /dev/urandom; } >"$out"
}

# vectors OUT SP RESET SIZE: SIZE bytes starting with that initial SP and reset vector (random
# after them), for the vector-table checks.
vectors() {
    { le32 "$2"; le32 "$3"; head -c $(($4 - 8)) /dev/urandom; } >"$1"
}

# refused CODE WANT... -- ARGS...: bleota ARGS exits with CODE, prints exactly one stderr line
# "bleota: <what>: <problem>" containing every WANT (the problem and the fix it names), and
# leaves no $OUT (nor a temporary $OUT.tmp or $OUT.XXXXXX) behind. Sets N (cases run).
refused() {
    local code=$1 wants=() w
    shift
    while [ "$1" != "--" ]; do
        wants+=("$1")
        shift
    done
    shift
    N=$((N + 1))
    rm -f "$OUT" "$OUT.tmp"
    run_bleota "$T/r" "$@"
    if [ "$RC" -ne "$code" ]; then
        fail "[$*] exit $RC (want $code): $(cat "$T/r.err")"
    elif [ "$(wc -l <"$T/r.err")" -ne 1 ] || ! grep -qE "^bleota: [^:]+: ." "$T/r.err"; then
        fail "[$*] stderr is not one 'bleota: <what>: <problem>' line: $(cat "$T/r.err")"
    fi
    for w in "${wants[@]}"; do
        grep -qF -- "$w" "$T/r.err" || fail "[$*] stderr '$(cat "$T/r.err")' does not say '$w'"
    done
    if [ -e "$OUT" ] || [ -e "$OUT.tmp" ] || compgen -G "$OUT.??????" >/dev/null; then
        fail "[$*] left an output file behind"
    fi
    return 0
}
