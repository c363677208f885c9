/* Host-only parsing of hex text given on command lines (keys, IVs, IDs, addresses). */
#ifndef BO_HEXSTR_H
#define BO_HEXSTR_H

#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit, or -1. */
int bo_hex_digit(char c);
/* Decodes exactly 2*n hex digits (optional "0x" prefix, nothing else) into out[n]. 0 or -1. */
int bo_hex_decode(const char *text, uint8_t *out, size_t n);
/* Parses a 32-bit unsigned number: "0x..." hex or decimal; with hex_only, hex with or without
 * the prefix. No sign, no spaces, no trailing characters, must fit 32 bits. 0 or -1. */
int bo_parse_u32(const char *text, int hex_only, uint32_t *out);

#endif
