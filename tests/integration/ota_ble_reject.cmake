# issue 5, acceptance 3: one ctest per rejection, all driven by ota_ble_reject.bash CASE.
foreach(_case flipped_byte wrong_aes_key wrong_sign_key older_version app_refuses size_zero
              size_unaligned size_too_big)
  add_test(NAME ota_ble_reject_${_case}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/ota_ble_reject.bash ${_case})
  set_tests_properties(ota_ble_reject_${_case} PROPERTIES LABELS integration TIMEOUT 120
    ENVIRONMENT "BO_BIN=${BO_BIN_DIR};BO_FIXTURES=${BO_FIXTURES_DIR};BO_SOURCE_DIR=${PROJECT_SOURCE_DIR};BO_TMP=${CMAKE_BINARY_DIR}/testtmp")
endforeach()
