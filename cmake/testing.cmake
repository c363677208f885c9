# Figures for the docs (docs/figures.md): tests that measure a figure quoted in README.md or
# docs/ write it as `name value` lines into BO_REPORT_DIR (tests/docs/figure_report.h); the
# docs check (cmake/figures.cmake, ctest docs_figures_match_reports) compares every marked
# figure with them. The writers are the power-loss tests (label powerloss) and the tests named
# in BO_FIGURE_TESTS; they get the label `figures` and set up the fixture bo_figures, which the
# docs check requires, so `ctest -j` runs it after them (and `ctest -L docs` pulls them in).
set(BO_REPORT_DIR "${CMAKE_BINARY_DIR}/reports")
file(MAKE_DIRECTORY "${BO_REPORT_DIR}")
set(BO_FIGURE_TESTS dfu_writer_api dfu_resume_record)

# bo_test(NAME n SOURCES ... [LIBS ...] [LABELS ...] [ARGS ...]): one cmocka test executable + ctest entry.
# The ctest name starts with the module it proves (img_..., dfu_..., boot_...); LABELS group kinds.
function(bo_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} bo_cmocka)
  target_compile_options(${T_NAME} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
  target_compile_definitions(${T_NAME} PRIVATE
    BO_FIXTURES="${BO_FIXTURES_DIR}" BO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/docs) # figure_report.h
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "BO_REPORT_DIR=${BO_REPORT_DIR}")
  if("powerloss" IN_LIST T_LABELS OR T_NAME IN_LIST BO_FIGURE_TESTS)
    list(APPEND T_LABELS figures) # ctest -L figures: every test that writes a figure
    set_tests_properties(${T_NAME} PROPERTIES FIXTURES_SETUP bo_figures LABELS "${T_LABELS}")
  endif()
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
    ENVIRONMENT "BO_BIN=${BO_BIN_DIR};BO_FIXTURES=${BO_FIXTURES_DIR};BO_SOURCE_DIR=${PROJECT_SOURCE_DIR};BO_TMP=${CMAKE_BINARY_DIR}/testtmp;BO_REPORT_DIR=${BO_REPORT_DIR}")
endfunction()

# The docs check itself (cmake/figures.cmake; it finds the writers by the fixture's name).
include(figures)
