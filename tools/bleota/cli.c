/* bleota CLI plumbing (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bo_hexstr.h"

int bo_cli_err(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bleota: %s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return BO_EXIT_USAGE;
}

void bo_cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bleota: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const bo_cli_opt_t *find_opt(const bo_cli_spec_t *spec, const char *arg, size_t len)
{
    for (const bo_cli_opt_t *o = spec->opts; o != NULL && o->name != NULL; o++) {
        if ((strlen(o->name) == len && strncmp(o->name, arg, len) == 0) ||
            (o->alias != NULL && strlen(o->alias) == len && strncmp(o->alias, arg, len) == 0)) {
            return o;
        }
    }
    return NULL;
}

/* Handles argv[*i], an option; advances *i past its value. */
static int parse_opt(const bo_cli_spec_t *spec, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    const bo_cli_opt_t *o = find_opt(spec, arg, len);
    if (o == NULL) {
        return bo_cli_err(spec->what, "unknown option %.*s (see --help)", (int)len, arg);
    }
    if (o->flag != NULL) {
        if (eq != NULL) {
            return bo_cli_err(spec->what, "%s takes no value", o->name);
        }
        *o->flag = 1;
        return BO_CLI_GO;
    }
    if (eq != NULL) {
        *o->value = eq + 1;
    } else if (*i + 1 < argc) {
        *o->value = argv[++*i];
    } else {
        return bo_cli_err(spec->what, "%s needs a value", o->name);
    }
    if (**o->value == '\0') {
        return bo_cli_err(spec->what, "%s: empty value", o->name);
    }
    return BO_CLI_GO;
}

int bo_cli_parse(const bo_cli_spec_t *spec, int argc, char **argv, int *npos)
{
    int n = 0, only_pos = 0;
    for (int i = 1; i < argc; i++) {
        if (!only_pos && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            fputs(spec->usage, stdout);
            return BO_EXIT_OK;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = 1;
        } else if (!only_pos && arg[0] == '-' && arg[1] != '\0') {
            int rc = parse_opt(spec, argc, argv, &i);
            if (rc != BO_CLI_GO) {
                return rc;
            }
        } else if (n < spec->max_pos) {
            spec->pos[n++] = arg;
        } else {
            return bo_cli_err(spec->what, "unexpected argument '%s' (see --help)", arg);
        }
    }
    if (n < spec->min_pos) {
        return bo_cli_err(spec->what, "missing %s (see --help)",
                          n == 0 ? "input file" : "argument");
    }
    *npos = n;
    return BO_CLI_GO;
}

int bo_cli_hex16(const char *what, const char *opt, const char *text, uint8_t out[16])
{
    if (bo_hex_decode(text, out, 16) != 0) {
        return bo_cli_err(what, "%s: bad hex '%s' (want 32 hex digits)", opt, text);
    }
    return 0;
}
