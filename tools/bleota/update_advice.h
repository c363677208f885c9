/* bleota update: what a refusal or failure means and what to do about it, from what the client
 * can know (the result code, the file's version, the device's running version). */
#ifndef BO_UPDATE_ADVICE_H
#define BO_UPDATE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otac.h"

/* Writes one sentence (no newline) into out[cap] for a session that ended with a refusal or a
 * failure of an update; running is the device's version when running_known. Empty when there
 * is nothing to add. */
void bo_update_advice(const bo_otac_t *c, bool running_known, uint32_t running, char *out,
                      size_t cap);

#endif
