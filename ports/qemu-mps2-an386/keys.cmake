# The key store of the QEMU board, generated at configure time into ${BO_QEMU_KEY_DIR}:
#   signing.pem  ECDSA P-256 private key (PKCS#8; only its public half goes into firmware)
#   aes.hex      AES-128 key, aes-iv.hex IV (hex)   ->  bo_qemu_keys.h
# Each build tree gets its own random keys, so no private key is ever committed. Override with
# -DBO_QEMU_SIGNING_KEY=<pem> -DBO_QEMU_AES_KEY=<hex> -DBO_QEMU_AES_IV=<hex>.
set(BO_QEMU_KEY_DIR "${CMAKE_BINARY_DIR}/qemu-keys")
set(BO_QEMU_SIGNING_KEY "" CACHE FILEPATH "ECDSA P-256 private key PEM for the QEMU board")
set(BO_QEMU_AES_KEY "" CACHE STRING "AES-128 key (32 hex digits) for the QEMU board")
set(BO_QEMU_AES_IV "" CACHE STRING "AES-128 IV (32 hex digits) for the QEMU board")
find_program(BO_OPENSSL openssl REQUIRED)
file(MAKE_DIRECTORY "${BO_QEMU_KEY_DIR}")

if(BO_QEMU_SIGNING_KEY)
  configure_file("${BO_QEMU_SIGNING_KEY}" "${BO_QEMU_KEY_DIR}/signing.pem" COPYONLY)
elseif(NOT EXISTS "${BO_QEMU_KEY_DIR}/signing.pem")
  execute_process(COMMAND ${BO_OPENSSL} genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
                          -out "${BO_QEMU_KEY_DIR}/signing.pem" COMMAND_ERROR_IS_FATAL ANY)
endif()
execute_process(COMMAND ${BO_OPENSSL} pkey -in "${BO_QEMU_KEY_DIR}/signing.pem" -pubout
                        -outform DER -out "${BO_QEMU_KEY_DIR}/signing.pub.der" COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${BO_OPENSSL} pkey -in "${BO_QEMU_KEY_DIR}/signing.pem" -pubout
                        -out "${BO_QEMU_KEY_DIR}/signing.pub.pem" COMMAND_ERROR_IS_FATAL ANY)

# _bo_key_hex(file value): write the given hex, or keep/generate a random one.
function(_bo_key_hex file value)
  if(value)
    file(WRITE "${BO_QEMU_KEY_DIR}/${file}" "${value}\n")
  elseif(NOT EXISTS "${BO_QEMU_KEY_DIR}/${file}")
    execute_process(COMMAND ${BO_OPENSSL} rand -hex 16 OUTPUT_FILE "${BO_QEMU_KEY_DIR}/${file}"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()
endfunction()
_bo_key_hex(aes.hex "${BO_QEMU_AES_KEY}")
_bo_key_hex(aes-iv.hex "${BO_QEMU_AES_IV}")

# "0a1b..." -> "0x0a, 0x1b, ..."
function(_bo_hex_to_c hex out)
  string(REGEX REPLACE "([0-9a-fA-F][0-9a-fA-F])" "0x\\1, " _c "${hex}")
  set(${out} "${_c}" PARENT_SCOPE)
endfunction()

file(READ "${BO_QEMU_KEY_DIR}/signing.pub.der" _der HEX)
string(LENGTH "${_der}" _len)
math(EXPR _off "${_len} - 128")
string(SUBSTRING "${_der}" ${_off} 128 _pub) # the DER ends with the 64-byte X||Y
_bo_hex_to_c("${_pub}" BO_QEMU_PUB_C)
foreach(k aes aes-iv)
  file(STRINGS "${BO_QEMU_KEY_DIR}/${k}.hex" _h LIMIT_COUNT 1)
  string(STRIP "${_h}" _h)
  if(NOT _h MATCHES "^[0-9a-fA-F]+$")
    message(FATAL_ERROR "${BO_QEMU_KEY_DIR}/${k}.hex: not 32 hex digits")
  endif()
  string(LENGTH "${_h}" _l)
  if(NOT _l EQUAL 32)
    message(FATAL_ERROR "${BO_QEMU_KEY_DIR}/${k}.hex: not 32 hex digits")
  endif()
  string(REPLACE "-" "_" _n "${k}")
  _bo_hex_to_c("${_h}" BO_QEMU_${_n}_C)
endforeach()
configure_file("${CMAKE_CURRENT_LIST_DIR}/keys.h.in" "${BO_QEMU_KEY_DIR}/bo_qemu_keys.h" @ONLY)
