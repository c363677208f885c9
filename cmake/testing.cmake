# bo_test(NAME n SOURCES ... [LIBS ...] [LABELS ...] [ARGS ...]): one cmocka test executable + ctest entry.
# The ctest name starts with the module it proves (img_..., dfu_..., boot_...); LABELS group kinds.
function(bo_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} bo_cmocka)
  target_compile_options(${T_NAME} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
  target_compile_definitions(${T_NAME} PRIVATE
    BO_FIXTURES="${BO_FIXTURES_DIR}" BO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
endfunction()

# bo_script_test(NAME n SCRIPT file [LABELS ...]): a shell test that drives the real CLI tools.
function(bo_script_test)
  cmake_parse_arguments(T "" "NAME;SCRIPT;TIMEOUT" "LABELS" ${ARGN})
  add_test(NAME ${T_NAME} COMMAND bash ${T_SCRIPT})
  if(NOT T_LABELS)
    set(T_LABELS integration)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "BO_BIN=${BO_BIN_DIR};BO_FIXTURES=${BO_FIXTURES_DIR};BO_SOURCE_DIR=${PROJECT_SOURCE_DIR};BO_TMP=${CMAKE_BINARY_DIR}/testtmp")
endfunction()
