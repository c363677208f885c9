/* The crypto known answers of tests/crypto/crypto_kat.c on the emulated Cortex-M4, against the
 * target's backend build (BearSSL and mbedTLS from source, cmake/bearssl-source.cmake): the same
 * verdicts as the host's crypto_kat_shared. Exit status 0 = all passed; failures are logged. */
#include <stdint.h>
#include "bleota/qemu/board.h"
#include "crypto_kat.h"

static void report(const char *what, int got, int want)
{
    bo_qemu_log("crypto-kat: FAIL ", what);
    bo_qemu_log_num("crypto-kat:   got ", got);
    bo_qemu_log_num("crypto-kat:   want ", want);
}

int main(void)
{
    unsigned failed = crypto_kat_run(report);
    bo_qemu_log_num("crypto-kat: cases ", (int32_t)crypto_kat_cases());
    bo_qemu_log_num("crypto-kat: failed ", (int32_t)failed);
    bo_qemu_exit(failed == 0 ? 0 : 1);
    return 0;
}
