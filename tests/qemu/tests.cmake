# The QEMU test scripts (tests/qemu/<name>.sh, ctest name qemu_<name>); run.sh reads this list too.
set(BO_QEMU_TESTS
  port_selftest
  boot_installs_authentic_update
  boot_refuses_tampered_update
)
