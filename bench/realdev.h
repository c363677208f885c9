/* bleota bench: the real stacks on both ends of the modelled link.
 *
 * Device: the integration every bleota device ships (bo_ota_att, include/bleota/ota_att.h:
 * ATT server + database + OTA stack + the application-side wiring) with its shipped defaults
 * (bo_ota_att_defaults), on the BZ2 layout over the posix NOR model, behind a flash port that
 * charges the device clock (devcost.h) for every erase, program and read; the crypto calls the
 * stack makes are counted exactly (the bench links with -Wl,--wrap for bo_aes_cbc_update,
 * bo_sha256_update, bo_sha256 and bo_ecdsa_p256_verify) and charged per byte / per
 * verification. The bench only plays the transport and the scheduler: it hands each ATT PDU to
 * bo_ota_att_pdu, calls bo_ota_att_tick and bo_ota_att_idle when nothing waits, pairs on
 * request.
 *
 * Before the measured update the device is put in the state a previous update leaves: slot 1
 * holds the previous image with its header page erased by the bootloader, the resume pages are
 * erased; then bo_ota_att_idle runs until it reports nothing left (the slot clean-up), which is
 * measured separately (idle_flash_ns). The measured time runs from the Update Request to the
 * Complete answer at the client. */
#ifndef BENCH_REALDEV_H
#define BENCH_REALDEV_H

#include <stddef.h>

#include "image.h"
#include "scenario.h"

/* Non-default knobs (labelled variants only; all zero = the shipped device). */
typedef struct bench_stack_cfg {
    uint32_t window; /* bo_ota_cfg_t.window; 0 = the shipped automatic policy */
} bench_stack_cfg_t;

/* Runs one update with bleota's device stack and the given client. 0 when it really succeeded
 * (Complete answered 00 for the whole image and the application's verdict was OK), -1 otherwise
 * (out->why). */
int bench_run_bleota(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                     const bench_stack_cfg_t *st, const bench_image_t *img,
                     const bench_keys_t *keys, const bench_client_t *client, bench_run_t *out);

/* The bo_ota_cfg_describe line of the bench device's OTA configuration (what
 * bleota-device --print-config prints for the shipped device). Returns its length. */
size_t bench_bleota_describe(const bench_stack_cfg_t *st, char *out, size_t cap);

#endif
