# Registered by tests/powerloss/CMakeLists.txt (which includes every *.cmake here).
if(TARGET bo_boot AND TARGET bo_boot_testkit AND TARGET bo_port_posix)
  bo_test(NAME boot_powerloss_install SOURCES ${CMAKE_CURRENT_LIST_DIR}/boot_powerloss.c
          LIBS bo_boot bo_boot_testkit bo_port_posix LABELS powerloss TIMEOUT 600)
endif()
if(TARGET bo_boot AND TARGET bo_boot_testkit AND TARGET bo_port_posix)
  bo_test(NAME boot_powerloss_trial SOURCES ${CMAKE_CURRENT_LIST_DIR}/boot_trial_powerloss.c
          LIBS bo_boot bo_boot_testkit bo_port_posix LABELS powerloss TIMEOUT 900)
endif()
