# The QEMU test scripts (tests/qemu/<name>.sh, ctest name qemu_<name>); run.sh reads this list too.
set(BO_QEMU_TESTS
  port_selftest
  crypto_kat_matches_host
  boot_installs_authentic_update
  boot_refuses_tampered_update
  ota_update_over_ble_link
  ota_tampered_update_keeps_v1
  ota_resume_after_link_drop
  sdfu_installs_image
  sdfu_updates_running_device
  wdt_resets_unfed_app_into_bootloader
  wdt_spares_fed_app
  trial_hardfault_reverts_to_v1
  trial_hang_reverts_to_v1
  trial_unconfirmed_reverts_to_v1
  trial_confirmed_stays_after_resets
)
