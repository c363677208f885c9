/* bleota bench: the real stacks on both ends of the modelled link.
 *
 * Device: bleota's att server + ota/otas + dfu + boot (authenticate) on the posix NOR model,
 * behind a flash port that charges the device clock (devcost.h) for every erase, program and
 * read; the crypto calls the stack makes are counted exactly (the bench links with
 * -Wl,--wrap for bo_aes_cbc_update, bo_sha256_update, bo_sha256 and bo_ecdsa_p256_verify) and
 * charged per byte / per verification. Central: the real OTA client core (bo_otac) from MTU
 * exchange to Complete; the measured time runs from the moment it sends the Update Request to
 * the moment the Complete answer arrives. */
#ifndef BENCH_REALDEV_H
#define BENCH_REALDEV_H

#include "image.h"
#include "scenario.h"

/* Knobs of bleota's server that the bench may set through its public config. */
typedef struct bench_stack_cfg {
    uint32_t window; /* bo_ota_cfg_t.window; 0 = the server's default */
} bench_stack_cfg_t;

/* Runs one update with the real stacks. 0 when the Complete answer was 00 for the whole image,
 * -1 otherwise (out->result says why: the client's bo_otac_result_t, or 100 + the device's
 * verdict). */
int bench_run_bleota(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                     const bench_stack_cfg_t *st, const bench_image_t *img,
                     const bench_keys_t *keys, bench_run_t *out);

#endif
