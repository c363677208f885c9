# Reference files: Microchip's public files the tests read (tests/fixtures/manifest.txt lists
# each one's origin, sha256 and place), never copied into the repository. Where they are read:
#   BO_FIXTURES_DIR (mchp/) and BO_HARMONY_DIR (harmony/): a -D or an environment variable;
#   else ../shared/fixtures/mchp and ../shared/fixtures/harmony next to the source tree;
#   else the cache build/fixtures/mchp and build/fixtures/harmony, which
#   scripts/fetch-fixtures.sh fills at the pinned commits (`make test` runs it when needed).
# BUILD/fixtures.dirs records the choice for the sets in use (SET DIR SOURCE) for
# `fetch-fixtures.sh --auto`.
# Tests that read the files declare it with bo_reads_reference_files(): ctest fixtures_available
# (tests/fixtures) checks the files first; without them those tests are "Not Run" (counted as
# failed) and its one message says how to provide the files, while every other test still runs.
set(BO_FIXTURES_DIR "" CACHE PATH
    "Microchip reference files (mchp/); empty: ../shared/fixtures/mchp, else build/fixtures/mchp")
set(BO_HARMONY_DIR "" CACHE PATH
    "Microchip Harmony headers (harmony/); empty: ../shared/fixtures/harmony, else build/fixtures/harmony")
set(BO_FIXTURES_CACHE "${PROJECT_SOURCE_DIR}/build/fixtures")
# The sets this build reads (fetched by `make test` when missing): mchp, and the sets a port
# names in ports/<name>/fixture-sets.txt (the PIC32CX-BZ2 port: harmony).
set(BO_FIXTURE_SETS_USED mchp)
file(GLOB _bo_port_sets "${PROJECT_SOURCE_DIR}/ports/*/fixture-sets.txt")
foreach(f IN LISTS _bo_port_sets)
  file(STRINGS "${f}" _s REGEX "^[a-z]+$")
  list(APPEND BO_FIXTURE_SETS_USED ${_s})
endforeach()
list(REMOVE_DUPLICATES BO_FIXTURE_SETS_USED)

set(_bo_fixture_dirs "")
foreach(_pair "BO_FIXTURES_DIR;mchp" "BO_HARMONY_DIR;harmony")
  list(GET _pair 0 _var)
  list(GET _pair 1 _set)
  set(_shared "${PROJECT_SOURCE_DIR}/../shared/fixtures/${_set}")
  cmake_path(NORMAL_PATH _shared)
  # The cache value that older trees wrote by default (../shared/...) is no choice of the user's.
  set(_cached "${${_var}}")
  if(NOT _cached STREQUAL "")
    cmake_path(NORMAL_PATH _cached)
    if(_cached STREQUAL _shared)
      set(${_var} "")
    endif()
  endif()
  if(NOT "${${_var}}" STREQUAL "")
    set(_dir "${${_var}}")
    set(_src given)
  elseif(NOT "$ENV{${_var}}" STREQUAL "")
    set(_dir "$ENV{${_var}}")
    set(_src given)
  elseif(IS_DIRECTORY "${_shared}")
    set(_dir "${_shared}")
    set(_src shared)
  else()
    set(_dir "${BO_FIXTURES_CACHE}/${_set}")
    set(_src cache)
  endif()
  set(${_var} "${_dir}") # a normal variable: what the build and the tests use
  if(_set IN_LIST BO_FIXTURE_SETS_USED)
    string(APPEND _bo_fixture_dirs "${_set} ${_dir} ${_src}\n")
  endif()
endforeach()
file(WRITE "${CMAKE_BINARY_DIR}/fixtures.dirs" "${_bo_fixture_dirs}")

# bo_reads_reference_files(TEST...): these tests read files of BO_FIXTURES_DIR (call it in the
# directory that adds them); they run after fixtures_available and are not run without the files.
function(bo_reads_reference_files)
  foreach(t IN LISTS ARGN)
    if(TEST ${t})
      set_property(TEST ${t} APPEND PROPERTY FIXTURES_REQUIRED bo_reference_files)
    endif()
  endforeach()
endfunction()

# bo_add_fixtures_available_test(): ctest fixtures_available, the setup of bo_reference_files
# (tests/fixtures/available.sh: the files are there with their sha256, or the one message).
get_filename_component(_BO_FIXTURES_SRC "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
function(bo_add_fixtures_available_test)
  add_test(NAME fixtures_available COMMAND sh ${_BO_FIXTURES_SRC}/tests/fixtures/available.sh)
  set_tests_properties(fixtures_available PROPERTIES FIXTURES_SETUP bo_reference_files
    LABELS fixtures TIMEOUT 60
    ENVIRONMENT "BO_FIXTURES=${BO_FIXTURES_DIR};BO_SOURCE_DIR=${_BO_FIXTURES_SRC}")
endfunction()
