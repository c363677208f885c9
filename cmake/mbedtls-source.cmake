# bo_mbedtls_source_library(name [DEFINITIONS...]): the mbedTLS 2.28 files bleota needs, compiled
# from Debian's source tree (scripts/fetch-mbedtls.sh) with include/bleota/mbedtls/
# bleota_mbedtls_config.h. Used for the cross build (bo_mbedcrypto) and, on the host, to test the
# target configuration (static allocator) under the sanitizers.
set(BO_MBEDTLS_SRC "${PROJECT_SOURCE_DIR}/build/_deps/mbedtls" CACHE PATH "mbedTLS 2.28 source tree")

function(bo_mbedtls_source_library name)
  set(_lib "${BO_MBEDTLS_SRC}/library")
  add_library(${name} STATIC
    ${_lib}/sha256.c ${_lib}/aes.c ${_lib}/bignum.c ${_lib}/ecp.c ${_lib}/ecp_curves.c
    ${_lib}/ecdsa.c ${_lib}/asn1parse.c ${_lib}/asn1write.c ${_lib}/platform.c
    ${_lib}/platform_util.c ${_lib}/constant_time.c ${_lib}/memory_buffer_alloc.c)
  target_include_directories(${name} SYSTEM PUBLIC ${BO_MBEDTLS_SRC}/include
    ${PROJECT_SOURCE_DIR}/include/bleota/mbedtls)
  target_compile_definitions(${name} PUBLIC MBEDTLS_CONFIG_FILE="bleota_mbedtls_config.h" ${ARGN})
endfunction()
