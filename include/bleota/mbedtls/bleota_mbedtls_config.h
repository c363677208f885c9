/* bleota's mbedTLS 2.28 configuration for targets: AES-128-CBC only (the application decrypts
 * OTA data with it). SHA-256 and ECDSA P-256 verification are BearSSL's (src/crypto,
 * docs/crypto.md); the bootloader links no mbedTLS at all. */
#ifndef BLEOTA_MBEDTLS_CONFIG_H
#define BLEOTA_MBEDTLS_CONFIG_H

#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CIPHER_MODE_CBC

#include "mbedtls/check_config.h"
#endif
