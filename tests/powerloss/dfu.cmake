# dfu power-loss tests: cut power before every flash operation of a download (and tear some),
# then check what the bootloader would see; resume after cuts, including cuts during resume
# relocations and during the commit.
foreach(t every_op resume relocation commit)
  if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/dfu_pl_${t}.c)
    continue()
  endif()
  bo_test(NAME dfu_powerloss_${t}
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dfu_pl_${t}.c ${CMAKE_CURRENT_SOURCE_DIR}/dfu_pl.c
            ${PROJECT_SOURCE_DIR}/tests/dfu/dfu_test_util.c
    LIBS bo_dfu bo_port_posix LABELS powerloss)
  target_include_directories(dfu_powerloss_${t} PRIVATE
    ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests/dfu)
endforeach()
