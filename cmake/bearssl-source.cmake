# bo_bearssl_source_library(name): the BearSSL 0.6 files bleota's device crypto needs (SHA-256,
# ECDSA P-256 verify with br_ec_p256_m31), compiled from Debian's source tree
# (scripts/fetch-bearssl.sh). Used for the cross build (bo_bearssl) and, on the host, to run the
# known-answer tests over exactly the target's file list (tests/crypto).
set(BO_BEARSSL_SRC "${PROJECT_SOURCE_DIR}/build/_deps/bearssl" CACHE PATH "BearSSL 0.6 source tree")

function(bo_bearssl_source_library name)
  set(_s "${BO_BEARSSL_SRC}/src")
  add_library(${name} STATIC
    ${_s}/hash/sha2small.c ${_s}/codec/dec32be.c ${_s}/codec/enc32be.c ${_s}/codec/ccopy.c
    ${_s}/ec/ec_p256_m31.c ${_s}/ec/ec_secp256r1.c ${_s}/ec/ecdsa_i31_vrfy_raw.c
    ${_s}/ec/ecdsa_i31_bits.c
    ${_s}/int/i31_add.c ${_s}/int/i31_bitlen.c ${_s}/int/i31_decmod.c ${_s}/int/i31_decode.c
    ${_s}/int/i31_encode.c ${_s}/int/i31_fmont.c ${_s}/int/i31_iszero.c ${_s}/int/i31_modpow.c
    ${_s}/int/i31_montmul.c ${_s}/int/i31_muladd.c ${_s}/int/i31_ninv31.c ${_s}/int/i31_rshift.c
    ${_s}/int/i31_sub.c ${_s}/int/i31_tmont.c ${_s}/int/i32_div32.c)
  target_include_directories(${name} SYSTEM PUBLIC ${BO_BEARSSL_SRC}/inc)
  target_include_directories(${name} PRIVATE ${_s})
  # The verifier only ever sees P-256 (br_ec_p256_m31 refuses every other curve before the
  # curve switch), so the P-384 and P-521 tables it names would be dead weight: point those
  # names at P-256's definition instead of linking ec_secp384r1.c and ec_secp521r1.c.
  target_compile_definitions(${name} PRIVATE br_secp384r1=br_secp256r1 br_secp521r1=br_secp256r1)
endfunction()
