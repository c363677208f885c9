/* bleota: the one error enum. 0 is success, every failure is negative.
 * Calls that return a count return it as a non-negative int32_t, or a bo_err_t. */
#ifndef BLEOTA_ERR_H
#define BLEOTA_ERR_H

typedef enum {
    BO_OK = 0,
    BO_ERR_ARG = -1,         /* bad argument from the caller (NULL, wrong length) */
    BO_ERR_RANGE = -2,       /* offset/size outside what is allowed or configured */
    BO_ERR_ALIGN = -3,       /* address or size not a multiple of the required unit */
    BO_ERR_STATE = -4,       /* call not valid in the current state */
    BO_ERR_IO = -5,          /* the flash/port reported a failure */
    BO_ERR_VERIFY = -6,      /* read-back after programming differs */
    BO_ERR_AUTH = -7,        /* signature or digest does not match */
    BO_ERR_FORMAT = -8,      /* structure/encoding invalid (header, DER, hex...) */
    BO_ERR_CRYPTO = -9,      /* crypto backend failure other than a bad signature */
    BO_ERR_NOSPACE = -10,    /* does not fit (image larger than slot, buffer too small) */
    BO_ERR_UNSUPPORTED = -11, /* valid but not supported by this build/config */
    BO_ERR_ROLLBACK = -12,   /* version older than the running one */
    BO_ERR_NOTFOUND = -13,   /* nothing there (empty slot, no resume record) */
    BO_ERR_TIMEOUT = -14,    /* a peer or operation took too long */
    BO_ERR_BUSY = -15,       /* already in progress */
    BO_ERR_POWER = -16,      /* (simulation) the device lost power */
    BO_ERR_REFUSED = -17,    /* the application or peer said no */
} bo_err_t;

/* A short, stable, lower-case name for an error ("auth", "range"); never NULL. */
const char *bo_err_str(int err);

#endif
