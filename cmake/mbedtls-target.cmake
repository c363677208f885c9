# Cross build of mbedTLS 2.28 (Debian's source, fetched by scripts/fetch-mbedtls.sh) with
# bleota's minimal configuration (AES-128-CBC only). Provides `bo_mbedcrypto`.
include(mbedtls-source)
if(NOT EXISTS "${BO_MBEDTLS_SRC}/include/mbedtls/version.h")
  message(FATAL_ERROR "mbedTLS source not found at ${BO_MBEDTLS_SRC}: run scripts/fetch-mbedtls.sh")
endif()
bo_mbedtls_source_library(bo_mbedcrypto)
