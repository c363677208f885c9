# Microchip's Harmony headers for this port (BO_HARMONY_DIR, see cmake/fixtures.cmake): the device
# pack and CMSIS for the drivers, the BLE stack API and PDS for the binding. Sets
# BO_BZ2_HARMONY_OK and the include directories (BO_BZ2_BLE_INC, _PDS_INC, _DFP_INC), and defines bo_bz2_add_harmony_binding(target).
set(BO_BZ2_BLE_INC "${BO_HARMONY_DIR}/ble/lib/include" CACHE INTERNAL "")
set(BO_BZ2_PDS_INC "${BO_HARMONY_DIR}/config/default/driver/pds/include" CACHE INTERNAL "")
set(BO_BZ2_DFP_INC "${BO_HARMONY_DIR}/dfp/WBZ451_DFP" "${BO_HARMONY_DIR}/cmsis/CMSIS/Core/Include"
    CACHE INTERNAL "")
if(EXISTS "${BO_BZ2_BLE_INC}/gatt.h" AND EXISTS "${BO_BZ2_PDS_INC}/pds.h" AND
   EXISTS "${BO_HARMONY_DIR}/dfp/WBZ451_DFP/wbz451.h")
  set(BO_BZ2_HARMONY_OK ON)
else()
  set(BO_BZ2_HARMONY_OK OFF)
endif()

# The Harmony BLE binding (harmony/), compiled against Microchip's own headers, warning-free
# under bleota's strict flags.
function(bo_bz2_add_harmony_binding target)
  add_library(${target} STATIC ${BO_BZ2_DIR}/harmony/ble.c ${BO_BZ2_DIR}/harmony/ble_gatt.c)
  target_include_directories(${target} PUBLIC ${BO_BZ2_DIR}/include ${BO_BZ2_BLE_INC}
    ${BO_BZ2_PDS_INC})
  target_link_libraries(${target} PUBLIC bo_ota)
  bo_strict(${target})
endfunction()
