# Cross build of mbedTLS 2.28 (Debian's source, fetched by scripts/fetch-mbedtls.sh) with
# bleota's minimal configuration. Provides `bo_mbedcrypto`.
set(BO_MBEDTLS_SRC "${PROJECT_SOURCE_DIR}/build/_deps/mbedtls" CACHE PATH "mbedTLS 2.28 source tree")
if(NOT EXISTS "${BO_MBEDTLS_SRC}/include/mbedtls/version.h")
  message(FATAL_ERROR "mbedTLS source not found at ${BO_MBEDTLS_SRC}: run scripts/fetch-mbedtls.sh")
endif()
set(_lib "${BO_MBEDTLS_SRC}/library")
add_library(bo_mbedcrypto STATIC
  ${_lib}/sha256.c ${_lib}/aes.c ${_lib}/bignum.c ${_lib}/ecp.c ${_lib}/ecp_curves.c
  ${_lib}/ecdsa.c ${_lib}/asn1parse.c ${_lib}/asn1write.c ${_lib}/platform.c
  ${_lib}/platform_util.c ${_lib}/memory_buffer_alloc.c)
target_include_directories(bo_mbedcrypto SYSTEM PUBLIC ${BO_MBEDTLS_SRC}/include ${PROJECT_SOURCE_DIR}/include/bleota/mbedtls)
target_compile_definitions(bo_mbedcrypto PUBLIC MBEDTLS_CONFIG_FILE="bleota_mbedtls_config.h")
