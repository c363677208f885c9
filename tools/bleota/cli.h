/* bleota CLI plumbing: the command record, exit codes, one-line errors and option parsing.
 * Every command is a bo_cli_cmd_t in its own cmd_<name>.c, listed in commands.h and main.c. */
#ifndef BO_CLI_H
#define BO_CLI_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes (docs/cli.md). */
#define BO_EXIT_OK 0
#define BO_EXIT_FAIL 1  /* verification failed / operation failed */
#define BO_EXIT_USAGE 2 /* bad usage or bad input */

typedef struct {
    const char *name;                  /* word after "bleota" */
    const char *summary;               /* one line for `bleota --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name; returns an exit code */
} bo_cli_cmd_t;

/* One option. Options with a value set *value (last one wins); flags set *flag to 1. */
typedef struct {
    const char *name;  /* "--key" */
    const char *alias; /* "-o", or NULL */
    const char **value;
    int *flag;
} bo_cli_opt_t;

typedef struct {
    const char *what;         /* command words for messages: "image sign" */
    const char *usage;        /* printed by --help (stdout) */
    const bo_cli_opt_t *opts; /* terminated by a {NULL} entry */
    const char **pos;         /* positional arguments go here */
    int min_pos, max_pos;
} bo_cli_spec_t;

#define BO_CLI_GO (-1) /* bo_cli_parse: parsed, carry on */

/* Parses argv[1..]; "--opt=value" and "--opt value" both work, "--" ends options.
 * Returns BO_CLI_GO, BO_EXIT_OK after printing --help, or BO_EXIT_USAGE after one error line.
 * *npos gets the number of positional arguments. */
int bo_cli_parse(const bo_cli_spec_t *spec, int argc, char **argv, int *npos);

/* Prints "bleota: <what>: <problem>" to stderr and returns BO_EXIT_USAGE. */
int bo_cli_err(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "bleota: warning: ..." to stderr. */
void bo_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads an AES key or IV option: exactly 32 hex digits. Returns 0, or BO_EXIT_USAGE after
 * printing the error. */
int bo_cli_hex16(const char *what, const char *opt, const char *text, uint8_t out[16]);

#endif
