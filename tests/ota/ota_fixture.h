/* A bo_ota_t on a RAM flash with a fake clock, a recording application, a resettable fake
 * system, and either the real bo_boot_authenticate or a scripted one. */
#ifndef BO_TEST_OTA_FIXTURE_H
#define BO_TEST_OTA_FIXTURE_H

#include "../otas/harness.h"
#include "bleota/ota.h"

enum { APP_ACCEPT = 0, APP_REJECT, APP_DEFER };

#define OEVT_MAX 512
typedef struct ofx {
    h_flash_t fl;
    bo_ota_t ota;
    h_rec_t rec;
    h_client_t a, b;
    uint8_t aes_key[16], aes_iv[16];
    bo_keys_t keys;
    bo_boot_cfg_t boot;
    uint8_t pub[64];
    bo_sys_t sys;
    uint32_t now;
    unsigned resets;
    int app_mode;
    bool fake_auth; /* use the scripted authenticate below instead of bo_boot_authenticate */
    int fake_status;
    uint32_t fake_version;
    unsigned auth_calls;
    bo_ota_evt_t evts[OEVT_MAX];
    size_t n_evts;
} ofx_t;

typedef struct ofx_opts {
    bool no_keys; /* key store empty */
    bool resume;
    uint16_t window;
    uint32_t timeout_ms;
    uint32_t current_version;
    bool auth_from_flash; /* bo_ota_cfg_t.auth_from_flash: every verdict via authenticate */
} ofx_opts_t;

ofx_t *ofx_new(const ofx_opts_t *o);
void ofx_free(ofx_t *f);
void ofx_process(void *ctx);
const bo_ota_evt_t *ofx_last(const ofx_t *f, bo_ota_evt_type_t type);
size_t ofx_count(const ofx_t *f, bo_ota_evt_type_t type);

/* The Microchip development keys (fixtures/mchp/README.md). */
extern const uint8_t mchp_aes_key[16];
extern const uint8_t mchp_pub[64];

/* An OTA payload as sent over the air (metadata + firmware [+ PKCS#7 block], encrypted when
 * key != NULL) authenticated by SHA-256 (method 1). Returns malloc'd bytes. */
uint8_t *make_image(uint32_t fw_len, uint32_t signed_version, const uint8_t *key, const uint8_t *iv,
                    size_t *len);

/* Runs a whole update on client c: request (version, enc, checksum), start, data, complete.
 * Returns the Complete result (or the failing step's result, with *step set 2/3). */
uint8_t run_update(ofx_t *f, h_client_t *c, const uint8_t *payload, size_t len, uint32_t version,
                   uint8_t enc, uint16_t checksum, int *step);

#endif
