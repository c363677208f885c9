# The key store of this port, generated at configure time into ${BO_BZ2_KEY_DIR}:
#   signing.pem  ECDSA P-256 private key (only its public half goes into the bootloader)
#   aes.hex, aes-iv.hex  AES-128 key and IV (the application decrypts OTA files with them)
# Each build tree gets its own random keys unless given: -DBO_BZ2_SIGNING_KEY=<pem or public pem>
# -DBO_BZ2_AES_KEY=<32 hex> -DBO_BZ2_AES_IV=<32 hex>. (Microchip's published development key
# works for a lab board that must accept Microchip-signed files; never ship it.)
set(BO_BZ2_KEY_DIR "${CMAKE_BINARY_DIR}/pic32cxbz2-keys")
set(BO_BZ2_SIGNING_KEY "" CACHE FILEPATH "ECDSA P-256 key PEM (private or public) for the BZ2 bootloader")
set(BO_BZ2_AES_KEY "" CACHE STRING "AES-128 key (32 hex digits) for the BZ2 application")
set(BO_BZ2_AES_IV "" CACHE STRING "AES-128 IV (32 hex digits) for the BZ2 application")
find_program(BO_OPENSSL openssl REQUIRED)
file(MAKE_DIRECTORY "${BO_BZ2_KEY_DIR}")

if(BO_BZ2_SIGNING_KEY)
  execute_process(COMMAND ${BO_OPENSSL} pkey -pubin -in "${BO_BZ2_SIGNING_KEY}" -noout
                  RESULT_VARIABLE _pub_only OUTPUT_QUIET ERROR_QUIET)
  set(_in_opts "")
  if(_pub_only EQUAL 0)
    set(_in_opts -pubin)
  endif()
  execute_process(COMMAND ${BO_OPENSSL} pkey ${_in_opts} -in "${BO_BZ2_SIGNING_KEY}" -pubout
                          -outform DER -out "${BO_BZ2_KEY_DIR}/signing.pub.der" COMMAND_ERROR_IS_FATAL ANY)
else()
  if(NOT EXISTS "${BO_BZ2_KEY_DIR}/signing.pem")
    execute_process(COMMAND ${BO_OPENSSL} genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
                            -out "${BO_BZ2_KEY_DIR}/signing.pem" COMMAND_ERROR_IS_FATAL ANY)
  endif()
  execute_process(COMMAND ${BO_OPENSSL} pkey -in "${BO_BZ2_KEY_DIR}/signing.pem" -pubout
                          -outform DER -out "${BO_BZ2_KEY_DIR}/signing.pub.der" COMMAND_ERROR_IS_FATAL ANY)
endif()

function(_bo_bz2_key_hex file value out)
  if(value)
    set(_h "${value}")
  else()
    if(NOT EXISTS "${BO_BZ2_KEY_DIR}/${file}")
      execute_process(COMMAND ${BO_OPENSSL} rand -hex 16 OUTPUT_FILE "${BO_BZ2_KEY_DIR}/${file}"
                      COMMAND_ERROR_IS_FATAL ANY)
    endif()
    file(STRINGS "${BO_BZ2_KEY_DIR}/${file}" _h LIMIT_COUNT 1)
  endif()
  string(STRIP "${_h}" _h)
  string(LENGTH "${_h}" _l)
  if(NOT _h MATCHES "^[0-9a-fA-F]+$" OR NOT _l EQUAL 32)
    message(FATAL_ERROR "BZ2 key store: ${file} must be 32 hex digits")
  endif()
  file(WRITE "${BO_BZ2_KEY_DIR}/${file}" "${_h}\n")
  string(REGEX REPLACE "([0-9a-fA-F][0-9a-fA-F])" "0x\\1, " _c "${_h}")
  set(${out} "${_c}" PARENT_SCOPE)
endfunction()
_bo_bz2_key_hex(aes.hex "${BO_BZ2_AES_KEY}" BO_BZ2_AES_C)
_bo_bz2_key_hex(aes-iv.hex "${BO_BZ2_AES_IV}" BO_BZ2_AES_IV_C)

file(READ "${BO_BZ2_KEY_DIR}/signing.pub.der" _der HEX)
string(LENGTH "${_der}" _len)
math(EXPR _off "${_len} - 128")
string(SUBSTRING "${_der}" ${_off} 128 _pub) # the DER ends with the 64-byte X||Y
string(REGEX REPLACE "([0-9a-fA-F][0-9a-fA-F])" "0x\\1, " BO_BZ2_PUB_C "${_pub}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/keys.h.in" "${BO_BZ2_KEY_DIR}/bo_bz2_keys.h" @ONLY)
