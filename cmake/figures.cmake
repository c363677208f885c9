# The docs check (docs/figures.md), included by cmake/testing.cmake:
# - docs_figures_match_reports: every figure marked in README.md and docs/*.md equals the report
#   it comes from: the Cortex-M4 size report (BO_M4_BUILD_DIR/reports, `make size`; without
#   BO_M4_BUILD_DIR the size figures are listed as not checked), the counts the tests write into
#   BO_REPORT_DIR (fixture bo_figures: the tests labelled `figures` run first, also under
#   `ctest -j` and `ctest -L docs`), bench/report.json and bench/qemu-insns.txt (committed).
#   It also writes every figure, one `name value` line each, to BO_REPORT_DIR/figures.txt.
#   On failure: one line per figure (file:line, what it reads, the report's value), fix with
#   `make figures`.
# - docs_figures_checker_catches_drift: the checker itself fails on a changed, unknown or
#   malformed figure and --update repairs what it can (on a scratch copy).
find_program(BO_PYTHON3 NAMES python3)
if(NOT BO_PYTHON3)
  message(STATUS "bleota: docs figure check not registered (python3 not found; scripts/deps.sh installs it)")
  return()
endif()
set(_bo_fig_args --root ${PROJECT_SOURCE_DIR} --report-dir ${BO_REPORT_DIR}
    --dump ${BO_REPORT_DIR}/figures.txt)
if(BO_M4_BUILD_DIR)
  list(APPEND _bo_fig_args --size-dir ${BO_M4_BUILD_DIR}/reports)
else()
  list(APPEND _bo_fig_args --no-size)
endif()
add_test(NAME docs_figures_match_reports
  COMMAND ${BO_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/figures.py ${_bo_fig_args})
set_tests_properties(docs_figures_match_reports PROPERTIES LABELS docs TIMEOUT 60
  FIXTURES_REQUIRED bo_figures)
bo_script_test(NAME docs_figures_checker_catches_drift
  SCRIPT ${PROJECT_SOURCE_DIR}/tests/docs/checker_catches_drift.sh LABELS docs TIMEOUT 60)
