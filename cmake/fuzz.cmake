# bo_fuzz_target(NAME name SOURCES file.c... [LIBS lib...] [CORPUS dir] [ITERATIONS n]
#                [BUDGET n] [MAX_LEN n])
#
# SOURCES define `int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)`. For each target:
#  - always: executable `fuzz_<name>` = SOURCES + tests/fuzz/replay_main.c, registered as ctest
#    `fuzz_<name>` (label fuzz). It runs the target on every file of the seed corpus
#    (default tests/fuzz/corpus/<name>/, which must hold at least one file) and on ITERATIONS
#    deterministic mutations of each seed (default BO_FUZZ_ITERATIONS = 2000), at most BUDGET
#    mutations in all (default BO_FUZZ_BUDGET = 20000: a corpus that campaigns grow keeps the
#    test's time). Under the host preset it runs with ASan+UBSan, so this is the CI smoke fuzz;
#    no clang needed.
#  - always: a line "name corpus max_len" in <build>/fuzz-targets.txt, the list scripts/fuzz.sh
#    runs (MAX_LEN: libFuzzer's -max_len for the campaign, default 4096).
#  - with -DBO_LIBFUZZER=ON (configure with CC=clang): also `fuzz-<name>`, a real libFuzzer
#    binary; LIBS (and what they link) are compiled with -fsanitize=fuzzer-no-link for coverage.
#    See docs/fuzzing.md.
# Call it from tests/<module>/CMakeLists.txt; this file is included by tests/CMakeLists.txt.
option(BO_LIBFUZZER "Also build libFuzzer binaries fuzz-<name> (needs clang)" OFF)
set(BO_FUZZ_ITERATIONS 2000 CACHE STRING "Mutations per seed in the ctest fuzz replay")
set(BO_FUZZ_BUDGET 20000 CACHE STRING "Most mutations per target in the ctest fuzz replay")
set(BO_FUZZ_LIST "${CMAKE_BINARY_DIR}/fuzz-targets.txt")
file(WRITE "${BO_FUZZ_LIST}" "")
set(BO_FUZZ_REPLAY_MAIN "${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c")
# Helpers a target may list in SOURCES: the RAM NOR flash with fault injection (fuzz_flash.h);
# tests/fuzz (fuzz_input.h, fuzz_flash.h) is on every target's include path.
set(BO_FUZZ_FLASH "${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_flash.c")
# ... and remembered ECDSA verifications (tests/fuzz/fuzz_ecdsa_memo.c): list it in SOURCES and
# call bo_fuzz_memoise_ecdsa(<name>) after bo_fuzz_target.
set(BO_FUZZ_ECDSA_MEMO "${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_ecdsa_memo.c")
function(bo_fuzz_memoise_ecdsa name)
  foreach(t fuzz_${name} fuzz-${name})
    if(TARGET ${t})
      target_link_options(${t} PRIVATE -Wl,--wrap=bo_ecdsa_p256_verify)
    endif()
  endforeach()
endfunction()

if(BO_LIBFUZZER)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BO_LIBFUZZER=ON needs clang: configure a separate build with CC=clang")
  endif()
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  check_c_source_compiles("
    #include <stddef.h>
    #include <stdint.h>
    int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }"
    BO_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(NOT BO_HAVE_LIBFUZZER)
    message(FATAL_ERROR "BO_LIBFUZZER=ON but clang cannot link -fsanitize=fuzzer (install clang's compiler-rt)")
  endif()
endif()

# Adds coverage instrumentation to a library and the bleota libraries it links (once each).
function(_bo_fuzz_instrument lib)
  set(todo ${lib})
  while(todo)
    list(POP_FRONT todo t)
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    get_target_property(done ${t} BO_FUZZ_INSTRUMENTED)
    if(imported OR done OR type STREQUAL "INTERFACE_LIBRARY")
      continue()
    endif()
    target_compile_options(${t} PRIVATE -fsanitize=fuzzer-no-link)
    set_target_properties(${t} PROPERTIES BO_FUZZ_INSTRUMENTED ON)
    get_target_property(deps ${t} LINK_LIBRARIES)
    if(deps)
      list(APPEND todo ${deps})
    endif()
  endwhile()
endfunction()

function(bo_fuzz_target)
  cmake_parse_arguments(F "" "NAME;CORPUS;ITERATIONS;BUDGET;MAX_LEN" "SOURCES;LIBS" ${ARGN})
  if(NOT F_NAME OR NOT F_SOURCES)
    message(FATAL_ERROR "bo_fuzz_target needs NAME and SOURCES")
  endif()
  if(NOT F_CORPUS)
    set(F_CORPUS "${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${F_NAME}")
  endif()
  if(NOT F_ITERATIONS)
    set(F_ITERATIONS ${BO_FUZZ_ITERATIONS})
  endif()
  if(NOT F_BUDGET)
    set(F_BUDGET ${BO_FUZZ_BUDGET})
  endif()
  if(NOT F_MAX_LEN)
    set(F_MAX_LEN 4096)
  endif()
  file(APPEND "${BO_FUZZ_LIST}" "${F_NAME} ${F_CORPUS} ${F_MAX_LEN}\n")

  add_executable(fuzz_${F_NAME} ${F_SOURCES} ${BO_FUZZ_REPLAY_MAIN})
  target_link_libraries(fuzz_${F_NAME} PRIVATE ${F_LIBS})
  target_compile_options(fuzz_${F_NAME} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
  target_include_directories(fuzz_${F_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz)
  add_test(NAME fuzz_${F_NAME} COMMAND fuzz_${F_NAME} "${F_CORPUS}" ${F_ITERATIONS} 0x626c656f7461
           ${F_BUDGET})
  set_tests_properties(fuzz_${F_NAME} PROPERTIES LABELS fuzz TIMEOUT 600
    WORKING_DIRECTORY "${CMAKE_BINARY_DIR}")

  if(BO_LIBFUZZER)
    add_executable(fuzz-${F_NAME} ${F_SOURCES})
    target_link_libraries(fuzz-${F_NAME} PRIVATE ${F_LIBS})
    target_compile_options(fuzz-${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_include_directories(fuzz-${F_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz)
    target_link_options(fuzz-${F_NAME} PRIVATE -fsanitize=fuzzer)
    foreach(l IN LISTS F_LIBS)
      _bo_fuzz_instrument(${l})
    endforeach()
  endif()
endfunction()
