/* Shared by `bleota update` and `bleota info`: exit codes of link commands and the final
 * message (docs/ota-client.md). */
#ifndef BO_CMD_UPDATE_H
#define BO_CMD_UPDATE_H

#include <stdbool.h>
#include <stdint.h>
#include "cli.h"
#include "otac_run.h"

/* Beyond cli.h's 0 ok / 1 failed (image invalid) / 2 usage: */
#define BO_EXIT_LINK 3     /* cannot connect, or the link dropped */
#define BO_EXIT_TIMEOUT 4  /* the device did not answer in time */
#define BO_EXIT_REFUSED 5  /* Update Request / Start answered non-zero */
#define BO_EXIT_TRANSFER 6 /* an OTA Data notification reported an error */
#define BO_EXIT_PROTOCOL 7 /* not an OTA device, ATT error, protocol violation */

/* Prints the outcome of a session (stdout summary, stderr error) and returns the exit code. */
int bo_update_finish(const bo_otac_t *c, bo_otac_run_status_t st, const char *what, const char *to,
                     bool quiet);
/* Parses an unsigned 32-bit number (decimal or 0x hex); -1 after printing an error. */
int bo_update_parse_u32(const char *what, const char *opt, const char *text, uint32_t *out);

#endif
