/* bleota otac_run: runs an otac session over a real link (ports/posix link: Unix socket or TCP)
 * until it ends. Host only; the CLI's `update` and `info` use it. Test knobs let the
 * integration tests cut the link or stall the sender at a chosen byte count. */
#ifndef BLEOTA_OTAC_RUN_H
#define BLEOTA_OTAC_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "otac.h"

typedef struct bo_otac_run_opts {
    const char *to;              /* link spec: sim:PATH, unix:PATH, tcp:HOST:PORT */
    uint32_t connect_timeout_ms; /* 0 = 3000 */
    bool drop;                   /* close the link once drop_after data bytes were sent */
    uint32_t drop_after;
    bool stall; /* stop sending data once stall_after bytes were sent */
    uint32_t stall_after;
} bo_otac_run_opts_t;

typedef enum {
    BO_OTAC_RUN_ENDED = 0, /* the session ran; see bo_otac_result(c) */
    BO_OTAC_RUN_NO_LINK,   /* could not connect (nothing sent) */
    BO_OTAC_RUN_BAD_ARG,   /* bad link spec or config */
} bo_otac_run_status_t;

/* Initialises c from cfg (cfg->send is replaced by the link's; cfg->event still gets cfg->ctx),
 * connects, runs until the
 * session ends, closes the link. c->data_bytes tells the OTA Data bytes sent. */
bo_otac_run_status_t bo_otac_run(bo_otac_t *c, const bo_otac_cfg_t *cfg,
                                 const bo_otac_run_opts_t *opts);

#endif
