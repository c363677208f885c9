# Provides the target `bo_mbedcrypto`.
#  host:    Debian's libmbedcrypto (libmbedtls-dev 2.28): the host tools' keys and signing, and
#           bo_crypto's AES-128-CBC.
#  target:  AES-128-CBC only, from mbedTLS 2.28 source from Debian (scripts/fetch-mbedtls.sh)
#           with include/bleota/mbedtls/bleota_mbedtls_config.h; see cmake/mbedtls-target.cmake.
if(CMAKE_CROSSCOMPILING)
  include(mbedtls-target)
else()
  find_path(BO_MBEDTLS_INCLUDE mbedtls/version.h REQUIRED)
  find_library(BO_MBEDCRYPTO_LIB mbedcrypto REQUIRED)
  file(STRINGS "${BO_MBEDTLS_INCLUDE}/mbedtls/version.h" _v REGEX "#define MBEDTLS_VERSION_STRING ")
  if(NOT _v MATCHES "\"2\\.28\\.")
    message(FATAL_ERROR "bleota needs mbedTLS 2.28 (Debian 12's libmbedtls-dev); found: ${_v}")
  endif()
  add_library(bo_mbedcrypto INTERFACE)
  target_include_directories(bo_mbedcrypto SYSTEM INTERFACE ${BO_MBEDTLS_INCLUDE})
  target_link_libraries(bo_mbedcrypto INTERFACE ${BO_MBEDCRYPTO_LIB})
endif()
