# `size-report`: text/data/bss of every bleota static library in this (cross) build.
set(_libs)
foreach(t bo_common bo_crypto bo_img bo_dfu bo_boot bo_sdfu bo_att bo_otas bo_ota bo_mbedcrypto)
  if(TARGET ${t})
    list(APPEND _libs $<TARGET_FILE:${t}>)
  endif()
endforeach()
add_custom_target(size-report
  COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/size-report.sh ${CMAKE_SIZE} ${_libs}
  VERBATIM)
if(NOT TARGET size)
  add_custom_target(size DEPENDS size-report)
endif()
