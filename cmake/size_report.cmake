# `size-report`: text/data/bss of every bleota static library in this (cross) build.
# `size` (make size): that, then one line per firmware image of the QEMU board: the bootloader
# against its budget, and the demo with the flash/RAM of the OTA stack inside it. The budget is
# Microchip's own bootloader, 18 222 bytes with ECDSA and SHA-256 in the chip's hardware: bleota's
# (software crypto, no heap, every feature) is to be smaller (docs/bootloader.md, "Size"); the
# boot flash itself (24 064 bytes) is the linker script's limit.
# Both also write their figures machine-readable into BO_REPORT_DIR (size-libs.txt,
# size-fw.txt: `size.<what> N` lines), which the docs check reads (docs/figures.md).
set(BO_REPORT_DIR "${CMAKE_BINARY_DIR}/reports")
file(MAKE_DIRECTORY "${BO_REPORT_DIR}")
set(_libs)
foreach(t bo_common bo_crypto bo_img bo_delta bo_dfu bo_boot bo_sdfu bo_att bo_otas bo_otas_att bo_ota bo_ota_att bo_mbedcrypto bo_bearssl)
  if(TARGET ${t})
    list(APPEND _libs $<TARGET_FILE:${t}>)
  endif()
endforeach()
# The RAM a patch download adds to the OTA path (docs/delta.md): one symbol sized like it.
if(TARGET bo_otas)
  add_library(bo_delta_ram_probe STATIC ${PROJECT_SOURCE_DIR}/cmake/delta_ram_probe.c)
  target_link_libraries(bo_delta_ram_probe PRIVATE bo_otas)
  target_compile_options(bo_delta_ram_probe PRIVATE -fno-lto) # nm sizes the real symbol
  list(APPEND _libs $<TARGET_FILE:bo_delta_ram_probe>)
endif()
add_custom_target(size-report
  COMMAND ${CMAKE_COMMAND} -E env REPORT=${BO_REPORT_DIR}/size-libs.txt
    sh ${PROJECT_SOURCE_DIR}/scripts/size-report.sh ${CMAKE_SIZE} ${_libs}
  VERBATIM)
set(BO_BOOT_BUDGET 18222)
if(TARGET bootloader AND TARGET demo_a)
  find_program(BO_NM NAMES arm-none-eabi-nm)
  add_custom_target(size
    COMMAND ${CMAKE_COMMAND} -E env SIZE=${CMAKE_SIZE} NM=${BO_NM} REPORT=${BO_REPORT_DIR}/size-fw.txt
      sh ${PROJECT_SOURCE_DIR}/ports/qemu-mps2-an386/tools/fw-size.sh
      $<TARGET_FILE:bootloader> ${BO_BOOT_BUDGET} $<TARGET_FILE:demo_a>
      $<TARGET_FILE_DIR:demo_a>/demo_a.map
    DEPENDS size-report bootloader demo_a
    VERBATIM)
elseif(NOT TARGET size)
  add_custom_target(size DEPENDS size-report)
endif()
