/* bleota: the host tool. Dispatches the first word to a command from the table below. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef BO_VERSION_STRING
#define BO_VERSION_STRING "0.0.0"
#endif

/* One line per command; keep the order of `bleota --help`. */
/* clang-format off */
static const bo_cli_cmd_t *const commands[] = {
    &bo_cmd_keygen,
    &bo_cmd_pubkey,
    &bo_cmd_image,
    &bo_cmd_update,
    &bo_cmd_info,
    &bo_cmd_serial,
};
/* clang-format on */

static void usage(FILE *out)
{
    fputs(
        "usage: bleota <command> [options]   (bleota <command> --help for details)\n\ncommands:\n",
        out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    }
    fputs("\noptions:\n  --help     this text\n  --version  print the version\n"
          "\nexit codes: 0 ok, 1 verification failed, 2 usage or input error\n"
          "(update, info and serial add their own codes: see their --help)\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return bo_cli_err("usage", "missing command (see bleota --help)");
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return BO_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("bleota %s\n", BO_VERSION_STRING);
        return BO_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i]->name) == 0) {
            return commands[i]->run(argc - 1, argv + 1);
        }
    }
    return bo_cli_err(argv[1], "unknown command (see bleota --help)");
}
