# bo_mbedtls_source_library(name [DEFINITIONS...]): the mbedTLS 2.28 files bleota still needs on a
# target (AES-128-CBC for the application's OTA decryption; the bootloader links none of it),
# compiled from Debian's source tree (scripts/fetch-mbedtls.sh) with include/bleota/mbedtls/
# bleota_mbedtls_config.h. Used for the cross build (bo_mbedcrypto) and, on the host, to run the
# AES known answers through the target's configuration.
set(BO_MBEDTLS_SRC "${PROJECT_SOURCE_DIR}/build/_deps/mbedtls" CACHE PATH "mbedTLS 2.28 source tree")

function(bo_mbedtls_source_library name)
  set(_lib "${BO_MBEDTLS_SRC}/library")
  add_library(${name} STATIC ${_lib}/aes.c ${_lib}/platform_util.c)
  target_include_directories(${name} SYSTEM PUBLIC ${BO_MBEDTLS_SRC}/include
    ${PROJECT_SOURCE_DIR}/include/bleota/mbedtls)
  target_compile_definitions(${name} PUBLIC MBEDTLS_CONFIG_FILE="bleota_mbedtls_config.h" ${ARGN})
endfunction()
