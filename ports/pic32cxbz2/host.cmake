# PIC32CX-BZ2 port, host side (included by the top CMakeLists on host builds): the parts of the
# port that are proven on the host against models — the NVM driver (BO_BZ2_MODEL: register
# accesses go to the controller model of tests/pic32cxbz2) and, when Microchip's BLE headers
# are at hand (BO_HARMONY_DIR), the Harmony BLE binding, compiled with those headers.
set(BO_BZ2_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(bo_bz2_nvm_host STATIC ${BO_BZ2_DIR}/src/nvm.c ${BO_BZ2_DIR}/src/nvm_ram.c)
target_include_directories(bo_bz2_nvm_host PUBLIC ${BO_BZ2_DIR}/include ${PROJECT_SOURCE_DIR}/include)
target_compile_definitions(bo_bz2_nvm_host PUBLIC BO_BZ2_MODEL=1)
target_link_libraries(bo_bz2_nvm_host PUBLIC bo_common)
bo_strict(bo_bz2_nvm_host)

include(${BO_BZ2_DIR}/harmony.cmake)
if(BO_BZ2_HARMONY_OK)
  bo_bz2_add_harmony_binding(bo_bz2_ble_host)
endif()
