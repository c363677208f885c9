/* Figures a test measured, for the docs check (docs/figures.md, scripts/figures.py).
 *
 * A test that produces a figure quoted in README.md or docs/ writes it as a `name value` line
 * to $BO_REPORT_DIR/<group>.txt (ctest sets BO_REPORT_DIR to <build>/reports; run by hand
 * without it, nothing is written). The line's name is <group>.<name>, e.g.
 * `powerloss.dfu_every_op.cut_points 25179`.
 *
 *   bo_figure_reset("powerloss.dfu_every_op");              // once, at the start of main
 *   bo_figure_u("powerloss.dfu_every_op", "cut_points", n); // any number of times
 *   bo_figure_f("dfu.full_download", "flash_s", s, 3);      // a decimal, 3 digits
 *
 * Writing a figure never changes what the test checks or its exit status. Header only: each
 * test includes it (cmake/testing.cmake puts tests/docs on every bo_test's include path). */
#ifndef BO_FIGURE_REPORT_H
#define BO_FIGURE_REPORT_H

#include <stdio.h>
#include <stdlib.h>

static inline FILE *bo_figure_file_(const char *group, const char *mode)
{
    const char *dir = getenv("BO_REPORT_DIR");
    char path[1024];
    if (dir == NULL || dir[0] == '\0')
        return NULL;
    if (snprintf(path, sizeof path, "%s/%s.txt", dir, group) >= (int)sizeof path)
        return NULL;
    return fopen(path, mode);
}

/* Empties the group's report (a stale figure never survives a new run). */
static inline void bo_figure_reset(const char *group)
{
    FILE *f = bo_figure_file_(group, "w");
    if (f != NULL)
        fclose(f);
}

static inline void bo_figure_u(const char *group, const char *name, unsigned long long v)
{
    FILE *f = bo_figure_file_(group, "a");
    if (f == NULL)
        return;
    fprintf(f, "%s.%s %llu\n", group, name, v);
    fclose(f);
}

static inline void bo_figure_f(const char *group, const char *name, double v, int decimals)
{
    FILE *f = bo_figure_file_(group, "a");
    if (f == NULL)
        return;
    fprintf(f, "%s.%s %.*f\n", group, name, decimals, v);
    fclose(f);
}

#endif
