#include "bleota/err.h"

/* The messages of BO_OK, BO_ERR_ARG (-1), BO_ERR_RANGE (-2), ... in order, each ended by its
 * NUL: one string and a walk instead of a pointer per code (the bootloader logs these). */
static const char messages[] = "ok\0"
                               "bad argument\0"
                               "out of range\0"
                               "misaligned\0"
                               "invalid state\0"
                               "flash i/o error\0"
                               "read-back mismatch\0"
                               "authentication failed\0"
                               "invalid format\0"
                               "crypto error\0"
                               "does not fit\0"
                               "unsupported\0"
                               "older version refused\0"
                               "not found\0"
                               "timeout\0"
                               "busy\0"
                               "power lost\0"
                               "refused";

const char *bo_err_str(int err)
{
    if (err > BO_OK || err < BO_ERR_REFUSED) {
        return "unknown error";
    }
    const char *p = messages;
    for (int k = -err; k > 0; k--) {
        while (*p++ != '\0') {
        }
    }
    return p;
}
