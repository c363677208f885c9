/* bleota update: advice after a refusal or failure (see update_advice.h). */
#include "update_advice.h"

#include <stdio.h>

#include "bleota/img.h"
#include "bleota/layout_bz2.h"

/* The Update Request was answered 02: which of its causes fits what the client knows. */
static void refused_02(const bo_otac_t *c, bool known, uint32_t running, char *out, size_t cap)
{
    char fv[16], dv[16];
    bo_version_format(c->cfg.image.version, fv);
    if (known && c->cfg.image.version < running) {
        bo_version_format(running, dv);
        snprintf(out, cap,
                 "the file's version %s is older than the device's %s: build and sign a "
                 "newer version",
                 fv, dv);
        return;
    }
    if (known)
        bo_version_format(running, dv);
    snprintf(out, cap,
             "file %s, device runs %s: the application refused it%s; see the device's "
             "log for its reason",
             fv, known ? dv : "(unknown)",
             c->cfg.image.enc ? ", or the device has no AES key for encrypted files (provision it)"
                              : "");
}

void bo_update_advice(const bo_otac_t *c, bool known, uint32_t running, char *out, size_t cap)
{
    char fv[16], dv[16];
    bo_otac_result_t r = bo_otac_result(c);
    out[0] = '\0';
    if (c->cfg.mode != BO_OTAC_MODE_UPDATE)
        return;
    bo_version_format(c->cfg.image.version, fv);
    bo_version_format(running, dv);
    if (r == BO_OTAC_ERR_REJECTED && c->detail == 0x02) {
        refused_02(c, known, running, out, cap);
    } else if (r == BO_OTAC_ERR_REJECTED && c->detail == 0x04) {
        snprintf(out, cap,
                 "the announced size (%u bytes) must be a non-zero multiple of 16 and "
                 "at most the device's download slot (%u bytes): rebuild the file with `bleota "
                 "image ota`",
                 (unsigned)c->cfg.image.size, (unsigned)BO_BZ2_DL_LIMIT);
    } else if ((r == BO_OTAC_ERR_REJECTED || r == BO_OTAC_ERR_START) && c->detail == 0x01) {
        snprintf(out, cap,
                 "another update is in progress on the device: wait for it to end (or "
                 "time out) and try again");
    } else if (r == BO_OTAC_ERR_TRANSFER && c->detail == 0x03) {
        snprintf(out, cap,
                 "the device stopped the transfer: the image header failed its check "
                 "(signed with a key the device does not trust, encrypted with another AES key, "
                 "tampered, or its signed version is older than the device's %s), or, for a "
                 "delta patch, the device does not run the image the patch was made from (send "
                 "the full image or the patch from the version it runs), or its flash failed; "
                 "sign with the device's signing key and use its AES key",
                 known ? dv : "version");
    } else if (r == BO_OTAC_ERR_TRANSFER && c->detail == 0x05) {
        snprintf(out, cap,
                 "the device gave up waiting for data (its inactivity timeout): check "
                 "the link and try again; `--resume` continues where it stopped");
    } else if (r == BO_OTAC_ERR_INVALID) {
        snprintf(out, cap,
                 "the whole image arrived but does not authenticate (damaged or "
                 "tampered firmware, another AES key, or signed version older than the "
                 "device's %s): the device keeps running its image",
                 known ? dv : "version");
    }
}
