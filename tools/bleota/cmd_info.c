/* bleota info: print the version a device runs (Device Information Service, Firmware Revision). */
#include <stdio.h>
#include <string.h>

#include "cmd_update.h"
#include "commands.h"

static const char info_usage[] =
    "usage: bleota info --to LINK [--timeout-ms N]\n"
    "Prints the running firmware version of the device (DIS Firmware Revision String).\n"
    "  --to LINK        sim:PATH (bleota-device --ble PATH), unix:PATH or tcp:HOST:PORT\n"
    "  --timeout-ms N   how long to wait for each answer (default 5000)\n"
    "exit codes: 0 ok, 2 usage, 3 link failed, 4 timeout, 7 no DIS / protocol error\n";

static int run_info(int argc, char **argv)
{
    const char *to = NULL, *tmo_s = NULL;
    int npos = 0, rc;
    const bo_cli_opt_t opts[] = {
        {"--to", NULL, &to, NULL}, {"--timeout-ms", NULL, &tmo_s, NULL}, {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"info", info_usage, opts, NULL, 0, 0};
    static bo_otac_t c;
    bo_otac_cfg_t cfg;
    bo_otac_run_opts_t ro;
    uint32_t tmo = 0;
    rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO)
        return rc;
    if (to == NULL)
        return bo_cli_err("info", "--to LINK is required (e.g. --to sim:/tmp/dev.sock)");
    if (tmo_s && bo_update_parse_u32("info", "--timeout-ms", tmo_s, &tmo))
        return BO_EXIT_USAGE;
    memset(&cfg, 0, sizeof cfg);
    memset(&ro, 0, sizeof ro);
    cfg.mode = BO_OTAC_MODE_INFO;
    cfg.timeout_ms = tmo;
    ro.to = to;
    rc = bo_update_finish(&c, bo_otac_run(&c, &cfg, &ro), "info", to, false);
    if (rc == BO_EXIT_OK)
        printf("firmware revision: %s\n", c.fw_rev);
    return rc;
}

const bo_cli_cmd_t bo_cmd_info = {"info", "print the version a device runs (over a link)",
                                  run_info};
