#!/usr/bin/env bash
# ota_ble_trial_revert: a signed v2 that does not work never bricks the device. Made with the
# normal CLI (firmware starting with BLEOTA-SIM-CRASH / -HANG / -NOCONFIRM, signed as a trial
# image by default) and sent with `bleota update`, each one runs on trial and the device comes
# back to v1 on its own; `bleota info` says 1.0.0.0. A good trial v2 confirms and stays.
OTA_TEST=ota_ble_trial_revert
source "$(dirname "$0")/ota_lib.bash"

# make_bad NAME VERSION TEXT: firmware that starts with TEXT (no vector table: signed anyway).
make_bad() {
    { printf '%s' "$3"; head -c 24000 /dev/urandom; } >"$T/$1.fw"
    "$B/bleota" image sign --key "$T/key.pem" --version "$2" --no-vector-check "$T/$1.fw" \
        -o "$T/$1.signed" >"$T/sign_$1.out" 2>"$T/sign_$1.err" || fail "image sign $1"
    grep -q "^trial image" "$T/sign_$1.out" || fail "image sign $1 did not make a trial image"
    "$B/bleota" image ota --aes-key "$AES_KEY" --aes-iv "$AES_IV" "$T/$1.signed" -o "$T/$1.ota" \
        >/dev/null 2>"$T/ota_$1.err" || fail "image ota $1"
}

start_fresh() {
    rm -f "$T/flash.nor"
    start_dev "$1" --flash "$T/flash.nor" --provision "$T/v1.signed" --pubkey "$T/pub.pem" \
        --aes-key "$AES_KEY" --aes-iv "$AES_IV" --watchdog-ms 1500
}

make_keys
make_image v1 1.0.0.0
make_image good 2.0.0.0
make_bad crash 2.0.0.0 BLEOTA-SIM-CRASH
make_bad hang 2.0.0.0 BLEOTA-SIM-HANG
make_bad noconfirm 2.0.0.0 BLEOTA-SIM-NOCONFIRM

for bad in crash hang noconfirm; do
    start_fresh "$bad"
    version_is 1.0.0.0
    update "$bad" "$T/$bad.ota"
    expect_rc 0 "update to the $bad image"
    dev_line "boot: running 2.0.0.0 from slot 0"
    dev_line "boot: on trial (watchdog 1500 ms; reverted at the next reset unless the application confirms)"
    case $bad in
    crash) dev_line "app: HardFault: reset" ;;
    *) dev_line "watchdog: not fed for 1500 ms: reset" ;;
    esac
    dev_line "boot: the trial image was not confirmed: previous image restored"
    dev_lines "app: running 1.0.0.0" 2
    version_is 1.0.0.0
    stop_dev
done

start_fresh good
update good "$T/good.ota"
expect_rc 0 "update to a good trial image"
dev_line "app: self-test passed: image confirmed (version floor 2.0.0.0)"
version_is 2.0.0.0
sleep 2 # longer than the watchdog period: a confirmed image feeds it
version_is 2.0.0.0
restart_dev good2
dev_line "boot: running 2.0.0.0 from slot 0"
version_is 2.0.0.0
grep -q "previous image restored" "$T/good2.log" && fail "a confirmed image was reverted"
stop_dev
echo "ota_ble_trial_revert: ok"
