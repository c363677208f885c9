# `bleota update` and `bleota serial` report progress the same way (docs/cli.md): on stdout;
# off a terminal one line per step and one "sent X/Y bytes" line per acknowledged chunk (OTA
# window, serial cluster), rising to X = Y = the bytes sent; then a summary line that says
# "sent N bytes" and a "done: ..." line; nothing on stderr. --quiet leaves the summary line
# alone. On a terminal (script(1)) both draw the same bar: "[####...] 100% N/N bytes".
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"
DEVICE="$BO_BIN/bleota-device"
[ -x "$DEVICE" ] || { echo "FAIL: $DEVICE not built" >&2; exit 1; }

S=$(mktemp -d /tmp/bo_cli.XXXXXX) # short socket and pty paths
DEV_PID=""
cleanup() {
    if [ -n "$DEV_PID" ] && kill -0 "$DEV_PID" 2>/dev/null; then
        kill -TERM "$DEV_PID" 2>/dev/null || true
        wait "$DEV_PID" 2>/dev/null || true
    fi
    rm -rf "$S"
}
trap cleanup EXIT

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
"$BLEOTA" pubkey "$T/k.pem" --format pem -o "$T/pub.pem"
AES=00112233445566778899AABBCCDDEEFF
IV=0F0E0D0C0B0A09080706050403020100
for v in 1 2 3 4; do
    make_fw "$T/v$v.bin" 24000
    "$BLEOTA" image sign --key "$T/k.pem" --version $v.0.0.0 "$T/v$v.bin" -o "$T/v$v.signed" >/dev/null
    "$BLEOTA" image ota --aes-key $AES --aes-iv $IV "$T/v$v.signed" -o "$T/v$v.ota" >/dev/null
done
OTA_BYTES=$(($(size "$T/v2.ota") - 16))
SER_BYTES=$(size "$T/v2.signed")

# wait_for FILE TEXT: FILE gets a line containing TEXT within 20 s.
wait_for() {
    local i
    for i in $(seq 200); do
        grep -qF "$2" "$1" 2>/dev/null && return 0
        kill -0 "$DEV_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "device never printed '$2': $(cat "$T/dev.out" "$T/dev.err")"
    exit 1
}

start_ble_device() { # a device running v1, BLE OTA on $S/ble.sock
    rm -f "$T/dev.out" "$T/dev.err" # the background job truncates them later: no stale lines
    "$DEVICE" --flash "$T/ble.nor" --provision "$T/v1.signed" --pubkey "$T/pub.pem" \
        --aes-key $AES --aes-iv $IV --ble "$S/ble.sock" >"$T/dev.out" 2>"$T/dev.err" &
    DEV_PID=$!
    wait_for "$T/dev.err" "ble: listening on"
}

start_sdfu_device() { # a fresh device held in serial DFU by its trigger, UART at $S/tty
    rm -f "$T/sdfu.nor" "$T/dev.out" "$T/dev.err" "$S/tty"
    "$DEVICE" --flash "$T/sdfu.nor" --provision "$T/v1.signed" --pubkey "$T/pub.pem" \
        --serial "$S/tty" --sdfu >"$T/dev.out" 2>"$T/dev.err" &
    DEV_PID=$!
    wait_for "$T/dev.out" "boot: serial DFU (trigger)"
    [ -e "$S/tty" ] || fail "no serial link at $S/tty"
}

stop_device() {
    kill -TERM "$DEV_PID" 2>/dev/null || true
    wait "$DEV_PID" 2>/dev/null || true
    DEV_PID=""
}

# check_lines NAME TOTAL CHUNK SUMMARY: NAME.out is a line stream with one "sent X/Y bytes" line
# per CHUNK bytes acknowledged, rising to TOTAL/TOTAL, followed by the summary line matching
# SUMMARY and a "done: " line; NAME.err is empty.
check_lines() {
    local name=$1 total=$2 chunk=$3 summary=$4 prev=0 x y n=0
    [ ! -s "$T/$name.err" ] || fail "$name: stderr not empty: $(cat "$T/$name.err")"
    while read -r x y; do
        [ "$y" = "$total" ] && [ "$x" -gt "$prev" ] || fail "$name: progress line 'sent $x/$y bytes' out of order"
        prev=$x
        n=$((n + 1))
    done < <(sed -n 's|^sent \([0-9]*\)/\([0-9]*\) bytes$|\1 \2|p' "$T/$name.out")
    [ "$n" = $(((total + chunk - 1) / chunk)) ] && [ "$prev" = "$total" ] ||
        fail "$name: $n progress lines ending at $prev (want one per $chunk bytes, ending at $total)"
    [ "$(tail -n 2 "$T/$name.out" | head -n 1 | grep -cE "$summary")" = 1 ] ||
        fail "$name: next to last line is not the summary '$summary': $(tail -n 2 "$T/$name.out")"
    tail -n 1 "$T/$name.out" | grep -q "^done: " || fail "$name: last line is not 'done: ...'"
    grep -q $'\r' "$T/$name.out" && fail "$name: a progress bar off a terminal"
    return 0
}

# check_quiet NAME SUMMARY: NAME.out is exactly the summary line.
check_quiet() {
    [ "$(wc -l <"$T/$1.out")" = 1 ] && grep -qE "$2" "$T/$1.out" && [ ! -s "$T/$1.err" ] ||
        fail "$1: --quiet printed '$(cat "$T/$1.out" "$T/$1.err")'"
}

# check_bar NAME TOTAL: NAME.out (a terminal's capture) ends its bar at 100% TOTAL/TOTAL bytes.
check_bar() {
    grep -qF "[########################################] 100% $2/$2 bytes" "$T/$1.out" ||
        fail "$1: no final bar on a terminal: $(tr '\r' '\n' <"$T/$1.out" | tail -n 4)"
}

UPDATE_SUMMARY="^start index 0, sent $OTA_BYTES bytes$"
SERIAL_SUMMARY="^sent $SER_BYTES bytes in [0-9]+ clusters in [0-9.]+ s$"

# ---- update: lines, --quiet, terminal (v2, v3, v4 on one device) ----
start_ble_device
run_bleota "$T/u" update --to "sim:$S/ble.sock" "$T/v2.ota"
[ "$RC" = 0 ] || fail "update v2: exit $RC: $(cat "$T/u.err")"
window=$(sed -n 's/^accepted: device runs 1\.0\.0\.0, window \([0-9]*\) bytes.*/\1/p' "$T/u.out")
[ -n "$window" ] || fail "update: no accepted line with the window"
check_lines u "$OTA_BYTES" "${window:-1}" "$UPDATE_SUMMARY"
wait_for "$T/dev.out" "app: running 2.0.0.0"
run_bleota "$T/uq" update --quiet --to "sim:$S/ble.sock" "$T/v3.ota"
[ "$RC" = 0 ] || fail "update --quiet v3: exit $RC: $(cat "$T/uq.err")"
check_quiet uq "$UPDATE_SUMMARY"
wait_for "$T/dev.out" "app: running 3.0.0.0"
if command -v script >/dev/null; then
    script -qec "'$BLEOTA' update --to 'sim:$S/ble.sock' '$T/v4.ota'" /dev/null >"$T/ut.out" 2>&1 ||
        fail "update on a terminal failed: $(cat "$T/ut.out")"
    check_bar ut "$OTA_BYTES"
fi
stop_device
ok "update: progress lines, --quiet, bar"

# ---- serial: the same shapes ----
start_sdfu_device
run_bleota "$T/s" serial --port "$S/tty" "$T/v2.signed"
[ "$RC" = 0 ] || fail "serial: exit $RC: $(cat "$T/s.err")"
check_lines s "$SER_BYTES" 4096 "$SERIAL_SUMMARY"
grep -q "^executive: version 1 on $S/tty" "$T/s.out" || fail "serial: no executive line"
wait_for "$T/dev.out" "boot: running 2.0.0.0 from slot 0"
stop_device
start_sdfu_device
run_bleota "$T/sq" serial --quiet --port "$S/tty" "$T/v2.signed"
[ "$RC" = 0 ] || fail "serial --quiet: exit $RC: $(cat "$T/sq.err")"
check_quiet sq "$SERIAL_SUMMARY"
stop_device
if command -v script >/dev/null; then
    start_sdfu_device
    script -qec "'$BLEOTA' serial --port '$S/tty' '$T/v2.signed'" /dev/null >"$T/st.out" 2>&1 ||
        fail "serial on a terminal failed: $(cat "$T/st.out")"
    check_bar st "$SER_BYTES"
    stop_device
else
    echo "note: script(1) not installed: the terminal bar is not checked"
fi
ok "serial: progress lines, --quiet, bar: the same as update"
if [ "$FAILS" -ne 0 ]; then # what each command printed, for the failure report
    for f in "$T"/*.out "$T"/*.err; do echo "--- $f" >&2; tail -n 30 "$f" >&2; done
fi
finish
