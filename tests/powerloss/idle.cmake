# The application's idle clean-up of slot 1 (bo_dfu_idle_erase), cut before every operation.
if(TARGET bo_boot AND TARGET bo_boot_testkit AND TARGET bo_port_posix AND TARGET bo_dfu)
  bo_test(NAME dfu_powerloss_idle_erase SOURCES ${CMAKE_CURRENT_LIST_DIR}/idle_erase_powerloss.c
          LIBS bo_dfu bo_boot bo_boot_testkit bo_port_posix LABELS powerloss TIMEOUT 600)
endif()
