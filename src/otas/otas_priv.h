/* otas internals shared by its files: connection table, queues, transfer engine. */
#ifndef BLEOTA_OTAS_PRIV_H
#define BLEOTA_OTAS_PRIV_H

#include "bleota/otas.h"

/* The connection's entry, or NULL. With create, a free entry is taken for an unknown handle. */
bo_otas_conn_t *bo_otas_p_conn(bo_otas_t *otas, uint16_t conn, bool create);
/* Queues a notification; counted as dropped when the queue is full. */
void bo_otas_p_notify(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data,
                      size_t len);
/* Queues the 3-byte `01 op result` Control Point response. */
void bo_otas_p_respond(bo_otas_t *otas, uint16_t conn, uint8_t op, uint8_t result);
void bo_otas_p_emit(bo_otas_t *otas, const bo_otas_evt_t *evt);
/* True for the states in which an update is running (reference "in progress", 2..7). */
bool bo_otas_p_in_progress(const bo_otas_t *otas);
/* conn owns the update (or waits for the application's answer to its request). */
bool bo_otas_p_is_owner(const bo_otas_t *otas, uint16_t conn);
/* Stops decryption and the DFU writer (resume record kept). */
void bo_otas_p_end_transfer(bo_otas_t *otas);
/* Executes one queued Control Point write. */
void bo_otas_p_run_cp(bo_otas_t *otas, const bo_otas_cp_t *cp);
/* Consumes OTA Data from the owner (state already checked). */
void bo_otas_p_data(bo_otas_t *otas, uint16_t conn, const uint8_t *data, size_t len);
/* Idle work while data flows: erases the next page of the slot ahead of the data (one page
 * ahead at most), so the erase overlaps the link instead of stalling it at the boundary. */
void bo_otas_p_erase_ahead(bo_otas_t *otas);
/* Restarts the streamed hash for a transfer that continues at plaintext offset start (hashing
 * only when start is 0). */
void bo_otas_p_hash_start(bo_otas_t *otas, uint32_t start);
/* Resumes a patch download at a block boundary: in_off patch bytes taken, out_off image bytes
 * stored (dfu resumed, its length the image's). */
int bo_otas_p_patch_resume(bo_otas_t *otas, uint32_t in_off, uint32_t out_off);

/* Starts AES-CBC decryption for the accepted request (iv: key store IV or resume cursor). */
int bo_otas_p_aes_start(bo_otas_t *otas, const uint8_t iv[BO_AES_BLOCK]);

#endif
