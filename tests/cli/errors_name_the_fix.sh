# Every common mistake with the update paths ends in one stderr line that names the problem and
# the fix (the command or option to use), with the documented exit code and no output file:
# a signed image given to `update`, firmware or an OTA file given to `image ota` or `serial`,
# a device that is not there (Unix socket, TCP), a serial port where no executive answers, and
# firmware too large for every update path.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

# Sockets need short paths (sun_path is 108 bytes): a directory of our own under /tmp.
S=$(mktemp -d /tmp/bo_cli.XXXXXX)
trap 'rm -rf "$S"' EXIT

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
make_fw "$T/fw.bin" 1000
make_elf "$T/fw.elf" 0x01000200 "$T/fw.bin"
{ ihex_data "$T/fw.bin" 0x01000200; echo "$IHEX_EOF"; } >"$T/fw.hex"
head -c 300 "$T/fw.bin" >"$T/short.bin"
"$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw.bin" -o "$T/fw.signed.bin" >/dev/null
"$BLEOTA" image ota "$T/fw.signed.bin" -o "$T/fw.ota" >/dev/null
OUT="$T/out.bin"
N=0

# ---- `update` wants an OTA file ----
refused 2 "$T/fw.signed.bin is a signed image, not an OTA file" \
    "make one with \`bleota image ota --aes-key KEY --aes-iv IV $T/fw.signed.bin -o $T/fw.signed.ota\`" \
    -- update --to "sim:$S/dev.sock" "$T/fw.signed.bin"
refused 2 "is an ELF file, not an OTA file" "\`bleota image sign\`" "\`bleota image ota\`" \
    -- update --to "sim:$S/dev.sock" "$T/fw.elf"
refused 2 "is an Intel HEX file, not an OTA file" "\`bleota image sign\`" \
    -- update --to "sim:$S/dev.sock" "$T/fw.hex"
refused 2 "not a BLE OTA file" "\`bleota image ota\`" -- update --to "sim:$S/dev.sock" "$T/fw.bin"
ok "update: a signed image or firmware is refused with the command that makes the OTA file"

# ---- `image ota` wants a signed image ----
SIGN_FIX="sign it first with \`bleota image sign --key KEY.pem --version A.B.C.D"
refused 2 "$T/fw.elf is an ELF file, not a signed image" "$SIGN_FIX $T/fw.elf -o $T/fw.signed.bin\`" \
    -- image ota "$T/fw.elf" -o "$OUT"
refused 2 "$T/fw.hex is an Intel HEX file, not a signed image" "$SIGN_FIX $T/fw.hex -o $T/fw.signed.bin\`" \
    -- image ota "$T/fw.hex" -o "$OUT"
refused 2 "$T/fw.bin is not a signed image" "if it is raw firmware, $SIGN_FIX $T/fw.bin -o $T/fw.signed.bin\`" \
    -- image ota "$T/fw.bin" -o "$OUT"
refused 2 "truncated: 300 bytes" "\`bleota image sign\`" -- image ota "$T/short.bin" -o "$OUT"
refused 2 "$T/fw.ota is already an OTA file" "send it with \`bleota update --to LINK $T/fw.ota\`" \
    -- image ota "$T/fw.ota" -o "$OUT"
refused 2 "is already an OTA file" "\`bleota update" -- image ota "$FIX_OTA" -o "$OUT"
ok "image ota: ELF, HEX, raw firmware and OTA files are refused with the command to use"

# ---- `serial` wants a signed image too ----
refused 2 "is an ELF file, not a signed BZ2 image" "\`bleota image sign\`" -- serial --port /dev/null "$T/fw.elf"
refused 2 "raw data, not a signed BZ2 image" "\`bleota image sign\`" -- serial --port /dev/null "$T/fw.bin"
refused 2 "OTA file" "\`bleota update\`" "\`bleota image sign\`" -- serial --port /dev/null "$T/fw.ota"
ok "serial: firmware and OTA files are refused with the command to use"

# ---- link failures: the OS error and the likely cause ----
# (bleota retries a missing or refusing endpoint for 3 s: a device may still be starting.)
refused 3 "cannot connect to sim:$S/dev.sock: No such file or directory" \
    "no such socket: is bleota-device running with --ble $S/dev.sock?" \
    -- update --to "sim:$S/dev.sock" "$T/fw.ota"
refused 3 "cannot connect to sim:$S/dev.sock: No such file or directory" "bleota-device running with --ble" \
    -- info --to "sim:$S/dev.sock"
refused 3 "cannot connect to $T/fw.bin: not a socket" "(--ble PATH)" -- info --to "$T/fw.bin"
refused 2 "bad link 'tcp:127.0.0.1'" "want tcp:HOST:PORT" -- info --to tcp:127.0.0.1
if command -v python3 >/dev/null; then
    # A socket file nobody listens on (a device that was killed): bound, never listened.
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S/stale.sock"
    refused 3 "cannot connect to sim:$S/stale.sock: Connection refused" "nothing listens on it" \
        "start bleota-device --ble $S/stale.sock" -- update --to "sim:$S/stale.sock" "$T/fw.ota"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    refused 3 "cannot connect to tcp:127.0.0.1:$port: Connection refused" "nothing listens on 127.0.0.1:$port" \
        -- update --to "tcp:127.0.0.1:$port" "$T/fw.ota"
    refused 3 "Connection refused" "nothing listens on 127.0.0.1:$port" -- info --to "tcp:127.0.0.1:$port"
    ok "update, info: missing/stale socket, closed TCP port, bad spec: OS error and cause"
else
    fail "python3 is needed for the stale-socket and closed-port cases"
fi

# ---- serial: no executive answers ----
refused 1 "no serial DFU executive answered within 300 ms" "DFU trigger GPIO" "timer window" \
    "--sdfu-window" "--timeout-ms" -- serial --port /dev/null --timeout-ms 300 "$T/fw.signed.bin"
refused 2 "cannot open: No such file or directory" "--serial PATH" -- serial --port "$S/no-tty" "$T/fw.signed.bin"
ok "serial: no executive / no port: the trigger, the window and the options named"

# ---- too large for every update path: the limit stated ----
make_fw "$T/over.bin" $((507392 + 1))
refused 2 "too large for every update path" "at most 507392 fit" "507904-byte image limit" \
    -- image sign --key "$T/k.pem" --version 1.0.0.0 "$T/over.bin" -o "$OUT"
# Intel HEX reaching into the last 16 KiB of the slot (never written by a download).
head -c 16 /dev/urandom >"$T/tail.bin"
{ ihex_data "$T/fw.bin" 0x01000200; ihex_data "$T/tail.bin" 0x0107C000; echo "$IHEX_EOF"; } >"$T/over.hex"
refused 2 "too large for every update path: 507408 bytes of firmware" "at most 507392" \
    -- image sign --key "$T/k.pem" --version 1.0.0.0 "$T/over.hex" -o "$OUT"
make_fw "$T/max.bin" 507392
run_bleota "$T/max" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/max.bin" -o "$OUT"
[ "$RC" = 0 ] && [ "$(size "$OUT")" = 507904 ] || fail "507392 bytes of firmware refused: $(cat "$T/max.err")"
ok "image sign: firmware over 507392 bytes refused with the limit; exactly 507392 signed"

ok "$N mistakes, each refused with one line that names the fix"
finish
