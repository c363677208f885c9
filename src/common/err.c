#include "bleota/err.h"

const char *bo_err_str(int err)
{
    switch (err) {
    case BO_OK: return "ok";
    case BO_ERR_ARG: return "bad argument";
    case BO_ERR_RANGE: return "out of range";
    case BO_ERR_ALIGN: return "misaligned";
    case BO_ERR_STATE: return "invalid state";
    case BO_ERR_IO: return "flash i/o error";
    case BO_ERR_VERIFY: return "read-back mismatch";
    case BO_ERR_AUTH: return "authentication failed";
    case BO_ERR_FORMAT: return "invalid format";
    case BO_ERR_CRYPTO: return "crypto error";
    case BO_ERR_NOSPACE: return "does not fit";
    case BO_ERR_UNSUPPORTED: return "unsupported";
    case BO_ERR_ROLLBACK: return "older version refused";
    case BO_ERR_NOTFOUND: return "not found";
    case BO_ERR_TIMEOUT: return "timeout";
    case BO_ERR_BUSY: return "busy";
    case BO_ERR_POWER: return "power lost";
    case BO_ERR_REFUSED: return "refused";
    default: return "unknown error";
    }
}
