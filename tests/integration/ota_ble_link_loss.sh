#!/usr/bin/env bash
# ota_ble_link_loss (issue 5, acceptance 5): the link drops at a spread of points mid-transfer
# (`bleota update --drop-after BYTES`). The device returns to idle (it reports the abort and
# still answers `bleota info` with v1) and its flash stays consistent (a reboot through the
# bootloader still runs v1, nothing half-written is installed). Then `bleota update --resume`
# continues from the start index the device reports — at or before the drop point and at most
# one flash page (4096: a checkpoint per page, whatever the window) earlier — and v2 installs.
# Every other point reboots the device between the drop and the resume (the resume record
# lives in flash).
OTA_TEST=ota_ble_link_loss
source "$(dirname "$0")/ota_lib.bash"

make_keys
make_image v1 1.0.0.0
random_fw "$T/v2.fw" 64000
"$B/bleota" image sign --key "$T/key.pem" --version 2.0.0.0 "$T/v2.fw" -o "$T/v2.signed" >/dev/null
"$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/v2.signed" -o "$T/v2.ota" >/dev/null
N=$(payload_len "$T/v2.ota")
W=4096

i=0
for d in 0 100 4096 5000 20000 33333 $((N - 300)); do
    start_v1 "d$d"
    drop_after "$d" "$T/v2.ota" "$N"
    version_is 1.0.0.0
    if ((i % 2 == 0)); then
        restart_dev "r$d"
        dev_line "boot: running 1.0.0.0 from slot 0"
        grep -q "^boot: installed" "$DEV_LOG.log" && fail "drop $d: a partial image was installed"
    fi
    resume_after "$d" "$T/v2.ota"
    ((START <= SENT)) || fail "drop $d: start index $START beyond what was sent ($SENT)"
    ((SENT - START <= W)) || fail "drop $d: start index $START re-sends more than one window of $SENT"
    ((RESENT == N - START)) ||
        fail "drop $d: resumed from $START but sent $RESENT bytes (want $((N - START)))"
    dev_line "app: running 2.0.0.0"
    version_is 2.0.0.0
    echo "drop after $d: $SENT sent, resumed at $START, re-sent $((SENT - START))"
    stop_dev
    i=$((i + 1))
done
# A client without --resume (like a stock client) after a drop starts again from 0.
start_v1 plain
update plain_drop --drop-after 20000 "$T/v2.ota"
expect_rc 3 "plain: drop"
update plain "$T/v2.ota"
expect_rc 0 "plain: update after a drop without --resume"
grep -qxF "start index 0, sent $N bytes" "$T/plain.out" || fail "plain: did not restart from 0"
dev_line "app: running 2.0.0.0"
stop_dev
echo "ota_ble_link_loss: ok"
