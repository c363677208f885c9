/* Progress stream shared by update and serial (see progress.h). */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 40u

void bo_progress_init(bo_progress_t *p, bool quiet)
{
    p->tty = isatty(STDOUT_FILENO) != 0;
    p->quiet = quiet;
    p->bar_open = false;
}

void bo_progress_end(bo_progress_t *p)
{
    if (p->bar_open) {
        putchar('\n');
        fflush(stdout);
        p->bar_open = false;
    }
}

void bo_progress_stage(bo_progress_t *p, const char *stage)
{
    if (p->quiet || p->tty) {
        return;
    }
    printf("%s\n", stage);
    fflush(stdout);
}

void bo_progress_line(bo_progress_t *p, const char *fmt, ...)
{
    va_list ap;
    if (p->quiet) {
        return;
    }
    bo_progress_end(p);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void bo_progress_bytes(bo_progress_t *p, uint32_t sent, uint32_t total)
{
    uint32_t pct = total != 0u ? (uint32_t)((uint64_t)sent * 100u / total) : 100u;
    char bar[BAR_WIDTH + 1u];
    if (p->quiet) {
        return;
    }
    if (!p->tty) {
        printf("sent %u/%u bytes\n", (unsigned)sent, (unsigned)total);
        fflush(stdout);
        return;
    }
    for (uint32_t i = 0; i < BAR_WIDTH; i++) {
        bar[i] = i < pct * BAR_WIDTH / 100u ? '#' : '.';
    }
    bar[BAR_WIDTH] = '\0';
    printf("\r[%s] %3u%% %u/%u bytes", bar, (unsigned)pct, (unsigned)sent, (unsigned)total);
    fflush(stdout);
    p->bar_open = true;
}
