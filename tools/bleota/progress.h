/* The progress stream of `bleota update` and `bleota serial` (docs/cli.md): on stdout; on a
 * terminal one bar redrawn in place, otherwise one line per stage and per acknowledged chunk
 * ("sent 4096/306688 bytes"), so logs and scripts read both commands the same way. --quiet
 * silences all of it; errors (stderr) and the caller's summary line are not progress. */
#ifndef BO_PROGRESS_H
#define BO_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    bool tty;      /* stdout is a terminal: draw the bar */
    bool quiet;    /* print nothing */
    bool bar_open; /* a bar is on the current line (a line must start on a new one) */
} bo_progress_t;

void bo_progress_init(bo_progress_t *p, bool quiet);
/* A step ("transfer", "reset request"): a line off a terminal, nothing on one (the bar says it). */
void bo_progress_stage(bo_progress_t *p, const char *stage);
/* A line worth reading on a terminal too ("accepted: ...", notes). */
void bo_progress_line(bo_progress_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* sent of total bytes acknowledged: the bar, or "sent X/Y bytes". */
void bo_progress_bytes(bo_progress_t *p, uint32_t sent, uint32_t total);
/* Ends the bar's line (before the summary or an error). */
void bo_progress_end(bo_progress_t *p);

#endif
