/* Crypto known answers shared by the host tests (crypto_kat_shared) and the QEMU guest
 * (qemu_crypto_kat), so the chosen backend gives the same verdicts on both: SHA-256 (FIPS 180-2
 * examples), AES-128-CBC (SP 800-38A F.2), and ECDSA P-256 (RFC 6979 A.2.5 and RFC 4754 over
 * NIST P-256, and an OpenSSL-made vector) with every rejection crypto.h names: malformed and
 * truncated DER, r or s zero or >= n, wrong hash, wrong key, off-curve key, and the high-S twin
 * (r, n - s), which must verify. Plain C11, no heap, no stdio. */
#ifndef BO_TEST_CRYPTO_KAT_H
#define BO_TEST_CRYPTO_KAT_H

/* Called for every case that did not give the expected result (got/want are bo_err_t values,
 * or 0/1 for digest comparisons). */
typedef void (*crypto_kat_report_fn)(const char *what, int got, int want);

/* Runs every case; returns how many failed. */
unsigned crypto_kat_run(crypto_kat_report_fn report);

/* Cases run (after crypto_kat_run), so a caller can show that something was checked. */
unsigned crypto_kat_cases(void);

#endif
