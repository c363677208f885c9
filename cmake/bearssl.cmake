# Provides the target `bo_bearssl` (BearSSL 0.6: the device's SHA-256 and ECDSA P-256 verify).
#  host:    Debian's libbearssl (libbearssl-dev 0.6).
#  target:  the same version's source from Debian (scripts/fetch-bearssl.sh), only the files the
#           verifier needs (cmake/bearssl-source.cmake).
include(bearssl-source)
if(CMAKE_CROSSCOMPILING)
  if(NOT EXISTS "${BO_BEARSSL_SRC}/inc/bearssl.h")
    message(FATAL_ERROR "BearSSL source not found at ${BO_BEARSSL_SRC}: run scripts/fetch-bearssl.sh")
  endif()
  bo_bearssl_source_library(bo_bearssl)
else()
  find_path(BO_BEARSSL_INCLUDE bearssl.h REQUIRED)
  find_library(BO_BEARSSL_LIB bearssl REQUIRED)
  add_library(bo_bearssl INTERFACE)
  target_include_directories(bo_bearssl SYSTEM INTERFACE ${BO_BEARSSL_INCLUDE})
  target_link_libraries(bo_bearssl INTERFACE ${BO_BEARSSL_LIB})
endif()
