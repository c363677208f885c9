/* bleota image: build, sign, encrypt, inspect and verify Microchip BZ2 image files. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "image_cmds.h"

static const bo_image_sub_t *const subs[] = {&bo_image_sign, &bo_image_ota, &bo_image_delta,
                                             &bo_image_inspect, &bo_image_verify};

static void image_usage(void)
{
    puts("usage: bleota image <subcommand> [options]   (bleota image <subcommand> --help)\n");
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        printf("  %-8s %s\n", subs[i]->name, subs[i]->summary);
    }
}

static int run_image(int argc, char **argv)
{
    if (argc < 2) {
        return bo_cli_err("image", "missing subcommand (sign, ota, inspect, verify; see --help)");
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        image_usage();
        return BO_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i]->name) == 0) {
            return subs[i]->run(argc - 1, argv + 1);
        }
    }
    return bo_cli_err("image", "unknown subcommand '%s' (see --help)", argv[1]);
}

const bo_cli_cmd_t bo_cmd_image = {"image", "sign, make OTA files, inspect and verify images",
                                   run_image};
