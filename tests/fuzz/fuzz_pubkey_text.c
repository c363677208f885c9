/* Fuzz target: arbitrary text as a public key argument (bo_pubkey_parse: SPKI PEM, private key
 * PEM or hex), as the CLI's --pubkey and pubkey commands receive it.
 * Properties: only documented codes come back, the message is always a terminated line, and an
 * accepted key is a curve point that survives hex export and re-parse unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bo_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t pub[BO_P256_PUB_SIZE], again[BO_P256_PUB_SIZE];
    char msg[BO_KEYS_MSG_MAX];
    memset(msg, 'x', sizeof(msg));
    int r = bo_pubkey_parse(pub, data, size, msg, sizeof(msg));
    if (r != BO_OK && r != BO_ERR_FORMAT && r != BO_ERR_UNSUPPORTED)
        abort();
    if (r != BO_OK) {
        if (memchr(msg, 0, sizeof(msg)) == NULL || msg[0] == 0 || strchr(msg, '\n') != NULL)
            abort();
        return 0;
    }
    char hex[BO_PUB_HEX_SIZE];
    if (bo_pubkey_to_hex(pub, hex, sizeof(hex)) != BO_OK ||
        bo_pubkey_parse(again, (const uint8_t *)hex, strlen(hex), msg, sizeof(msg)) != BO_OK ||
        memcmp(pub, again, sizeof(pub)) != 0)
        abort();
    return 0;
}
