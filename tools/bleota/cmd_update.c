/* bleota update: send an OTA file to a device over a link (BLE OTA protocol, docs/ota-client.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bleota/img.h"
#include "bo_fileio.h"
#include "file_kind.h"
#include "link_diag.h"
#include "progress.h"
#include "commands.h"
#include "otac_run.h"
#include "cmd_update.h"
#include "update_advice.h"

static const char update_usage[] =
    "usage: bleota update --to LINK FILE.ota [--resume] [--mtu N] [--timeout-ms N] [--quiet]\n"
    "Sends FILE.ota (16-byte header + payload) to the device's OTA service, then asks it to\n"
    "validate the image and reset into it.\n"
    "  --to LINK        sim:PATH (bleota-device --ble PATH), unix:PATH or tcp:HOST:PORT\n"
    "  --resume         continue an interrupted transfer where the device says it stopped\n"
    "  --mtu N          largest ATT MTU to offer, 23..517 (default 247)\n"
    "  --timeout-ms N   how long to wait for each answer (default 5000; Complete: 30000)\n"
    "  --quiet          no progress output (errors and the final summary line remain)\n"
    "Progress on stdout: a bar on a terminal, otherwise one line per step and per acknowledged\n"
    "window (sent X/Y bytes); then \"start index S, sent N bytes\" and \"done: ...\".\n"
    "exit codes: 0 updated, 1 image rejected as invalid, 2 usage or bad file, 3 link failed,\n"
    "  4 timeout, 5 update refused, 6 transfer failed, 7 not an OTA device / protocol error\n"
    "test options: --force-size N (announce N bytes), --drop-after BYTES (close the link after\n"
    "  sending BYTES of data), --stall-after BYTES (stop sending data, keep the link open)\n";

/* Parses a decimal/hex unsigned 32-bit option value; -1 when invalid. */
int bo_update_parse_u32(const char *what, const char *opt, const char *text, uint32_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0' || text[0] == '-' || v > 0xFFFFFFFFull) {
        bo_cli_err(what, "%s: not a number: '%s'", opt, text);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static void on_event(void *ctx, const bo_otac_evt_t *e)
{
    bo_progress_t *p = ctx;
    char v[16];
    switch (e->type) {
    case BO_OTAC_EVT_STAGE:
        bo_progress_stage(p, e->stage);
        break;
    case BO_OTAC_EVT_NOTE:
        bo_progress_line(p, "%s", e->stage);
        break;
    case BO_OTAC_EVT_ACCEPTED:
        bo_progress_line(p, "accepted: device runs %s, window %u bytes, start index %u of %u",
                         bo_version_format(e->current_version, v), (unsigned)e->window,
                         (unsigned)e->start_index, (unsigned)e->total);
        break;
    case BO_OTAC_EVT_PROGRESS:
        bo_progress_bytes(p, e->sent, e->total);
        break;
    case BO_OTAC_EVT_END:
        bo_progress_end(p);
        break;
    }
}

/* A file that is not an OTA file: say what it is and which command makes the OTA file. */
static int not_ota(const char *path, const uint8_t *data, size_t len)
{
    char ota[1024];
    bo_kind_t kind = bo_kind_of(data, len);
    bo_kind_sibling(path, ".ota", ota, sizeof ota);
    if (kind == BO_KIND_SIGNED)
        return bo_cli_err("update",
                          "%s is a signed image, not an OTA file: make one with `bleota image ota "
                          "--aes-key KEY --aes-iv IV %s -o %s`",
                          path, path, ota);
    if (kind == BO_KIND_ELF || kind == BO_KIND_IHEX)
        return bo_cli_err("update",
                          "%s is %s, not an OTA file: sign it with `bleota image sign`, then make "
                          "the OTA file with `bleota image ota`",
                          path, bo_kind_desc(kind));
    return bo_cli_err(path, "not a BLE OTA file (bad 16-byte header): `bleota image ota` makes one "
                            "from a signed image");
}

/* Loads and checks the OTA file: header, checksum, payload size. */
static int load(const char *path, uint8_t **data, size_t *len, bo_ota_hdr_t *h)
{
    char err[BO_ERRMSG_MAX];
    uint8_t hdr[BO_OTA_HDR_SIZE];
    uint16_t sum;
    if (bo_file_read(path, 64u << 20, data, len, err) != 0)
        return bo_cli_err(path, "%s", err);
    if (*len <= BO_OTA_HDR_SIZE || bo_ota_hdr_parse(*data, h) != BO_OK)
        return not_ota(path, *data, *len);
    memcpy(hdr, *data, BO_OTA_HDR_SIZE);
    hdr[2] = hdr[3] = 0;
    sum = bo_sum16(bo_sum16(0, hdr, BO_OTA_HDR_SIZE), *data + BO_OTA_HDR_SIZE,
                   *len - BO_OTA_HDR_SIZE);
    if (bo_ota_checksum_for(sum) != h->checksum)
        return bo_cli_err(path, "checksum mismatch (file 0x%04X, computed 0x%04X): damaged file",
                          h->checksum, bo_ota_checksum_for(sum));
    return BO_EXIT_OK;
}

static int run_update(int argc, char **argv)
{
    const char *to = NULL, *mtu_s = NULL, *tmo_s = NULL, *force_s = NULL, *drop_s = NULL,
               *stall_s = NULL, *pos[1];
    int resume = 0, quiet = 0, npos = 0, rc;
    const bo_cli_opt_t opts[] = {{"--to", NULL, &to, NULL},
                                 {"--mtu", NULL, &mtu_s, NULL},
                                 {"--timeout-ms", NULL, &tmo_s, NULL},
                                 {"--resume", NULL, NULL, &resume},
                                 {"--quiet", "-q", NULL, &quiet},
                                 {"--force-size", NULL, &force_s, NULL},
                                 {"--drop-after", NULL, &drop_s, NULL},
                                 {"--stall-after", NULL, &stall_s, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"update", update_usage, opts, pos, 1, 1};
    bo_otac_run_opts_t ro;
    bo_otac_cfg_t cfg;
    static bo_otac_t c;
    uint32_t mtu = 0, tmo = 0;
    bo_progress_t progress;
    uint8_t *data = NULL;
    size_t len = 0;
    bo_ota_hdr_t h;
    rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO)
        return rc;
    bo_progress_init(&progress, quiet != 0);
    memset(&ro, 0, sizeof ro);
    memset(&cfg, 0, sizeof cfg);
    if (to == NULL)
        return bo_cli_err("update", "--to LINK is required (e.g. --to sim:/tmp/dev.sock)");
    if ((mtu_s && bo_update_parse_u32("update", "--mtu", mtu_s, &mtu)) ||
        (tmo_s && bo_update_parse_u32("update", "--timeout-ms", tmo_s, &tmo)) ||
        (force_s && bo_update_parse_u32("update", "--force-size", force_s, &cfg.image.size)) ||
        (drop_s && bo_update_parse_u32("update", "--drop-after", drop_s, &ro.drop_after)) ||
        (stall_s && bo_update_parse_u32("update", "--stall-after", stall_s, &ro.stall_after)))
        return BO_EXIT_USAGE;
    if (mtu_s && (mtu < BO_ATT_MTU_MIN || mtu > BO_ATT_MTU_MAX))
        return bo_cli_err("update", "--mtu must be within 23..517");
    rc = load(pos[0], &data, &len, &h);
    if (rc != BO_EXIT_OK) {
        free(data);
        return rc;
    }
    cfg.mode = BO_OTAC_MODE_UPDATE;
    cfg.image.payload = data + BO_OTA_HDR_SIZE;
    cfg.image.len = (uint32_t)(len - BO_OTA_HDR_SIZE);
    if (force_s == NULL)
        cfg.image.size = cfg.image.len;
    cfg.image.image_id = h.image_id;
    cfg.image.version = h.version;
    cfg.image.enc = h.enc;
    cfg.image.checksum = h.checksum;
    /* The plaintext CRC is only known for plain files (the client has no AES key). */
    cfg.image.crc16 =
        h.enc == BO_OTA_ENC_NONE ? bo_otac_crc16(cfg.image.payload, cfg.image.len) : 0;
    cfg.mtu = (uint16_t)mtu;
    cfg.resume = resume != 0;
    cfg.timeout_ms = tmo;
    cfg.event = on_event;
    ro.to = to;
    ro.drop = drop_s != NULL;
    ro.stall = stall_s != NULL;
    cfg.ctx = &progress;
    rc = bo_update_finish(&c, bo_otac_run(&c, &cfg, &ro), "update", to, quiet != 0);
    free(data);
    return rc;
}

/* Could not connect: the OS error and its likely cause, in one line. */
static int link_failed(bo_otac_run_status_t st, const char *what, const char *to)
{
    char why[512];
    int spec_at_fault = bo_link_diagnose(to, why, sizeof why);
    if (st == BO_OTAC_RUN_BAD_ARG && !spec_at_fault)
        return bo_cli_err(what, "bad link '%s' (sim:PATH, unix:PATH or tcp:HOST:PORT)", to);
    if (st == BO_OTAC_RUN_BAD_ARG)
        return bo_cli_err(what, "bad link '%s': %s", to, why);
    bo_cli_err(what, "cannot connect to %s: %s", to, why);
    return BO_EXIT_LINK;
}

/* The version the device runs, read from its DIS on a second, short connection (a refused
 * Update Request does not carry it). A device that serves one central at a time may not have
 * seen the first link close yet: a few tries, 100 ms apart. */
static bool running_version(const char *to, uint32_t *version)
{
    static bo_otac_t info;
    const struct timespec pause = {0, 100 * 1000 * 1000};
    for (int attempt = 0; attempt < 5; attempt++) {
        bo_otac_cfg_t cfg;
        bo_otac_run_opts_t ro;
        memset(&cfg, 0, sizeof cfg);
        memset(&ro, 0, sizeof ro);
        cfg.mode = BO_OTAC_MODE_INFO;
        cfg.timeout_ms = 1000;
        ro.to = to;
        if (bo_otac_run(&info, &cfg, &ro) == BO_OTAC_RUN_ENDED &&
            bo_otac_result(&info) == BO_OTAC_OK)
            return bo_version_parse(info.fw_rev, version) == BO_OK;
        nanosleep(&pause, NULL);
    }
    return false;
}

/* What the failure means and what to do, as a "; ..." tail of the error line. */
static void advice(const bo_otac_t *c, const char *to, char *out, size_t cap)
{
    bo_otac_result_t r = bo_otac_result(c);
    uint32_t running = c->current_version;
    bool known = c->current_version != 0; /* the accepted request carried it */
    char text[600];
    out[0] = '\0';
    if (c->cfg.mode != BO_OTAC_MODE_UPDATE)
        return;
    if (r == BO_OTAC_ERR_REJECTED && c->detail == 0x02)
        known = running_version(to, &running);
    bo_update_advice(c, known, running, text, sizeof text);
    if (text[0] != '\0')
        snprintf(out, cap, "; %s", text);
}

static void summary(const bo_otac_t *c, bool quiet)
{
    if (c->cfg.mode == BO_OTAC_MODE_UPDATE && c->state != 0)
        printf("start index %u, sent %u bytes\n", (unsigned)c->start_index,
               (unsigned)c->data_bytes);
    (void)quiet;
}

int bo_update_finish(const bo_otac_t *c, bo_otac_run_status_t st, const char *what, const char *to,
                     bool quiet)
{
    bo_otac_result_t r = bo_otac_result(c);
    if (st == BO_OTAC_RUN_BAD_ARG || st == BO_OTAC_RUN_NO_LINK)
        return link_failed(st, what, to);
    summary(c, quiet);
    if (r == BO_OTAC_OK) {
        if (c->cfg.mode == BO_OTAC_MODE_UPDATE && !quiet)
            printf("done: the device validated the image and resets into it\n");
        return BO_EXIT_OK;
    }
    char tail[620];
    advice(c, to, tail, sizeof tail);
    if (r == BO_OTAC_ERR_ATT || r == BO_OTAC_ERR_REJECTED || r == BO_OTAC_ERR_START ||
        r == BO_OTAC_ERR_TRANSFER || r == BO_OTAC_ERR_INVALID)
        bo_cli_err(what, "%s: %02X %s (during: %s)%s", bo_otac_result_str(r), (unsigned)c->detail,
                   r == BO_OTAC_ERR_ATT ? "ATT error" : bo_otac_code_str(c->detail), c->stage,
                   tail);
    else
        bo_cli_err(what, "%s (during: %s)", bo_otac_result_str(r), c->stage);
    switch (r) {
    case BO_OTAC_ERR_INVALID:
        return BO_EXIT_FAIL;
    case BO_OTAC_ERR_LINK:
        return BO_EXIT_LINK;
    case BO_OTAC_ERR_TIMEOUT:
        return BO_EXIT_TIMEOUT;
    case BO_OTAC_ERR_REJECTED:
    case BO_OTAC_ERR_START:
        return BO_EXIT_REFUSED;
    case BO_OTAC_ERR_TRANSFER:
        return BO_EXIT_TRANSFER;
    default:
        return BO_EXIT_PROTOCOL;
    }
}

const bo_cli_cmd_t bo_cmd_update = {"update", "send an OTA file to a device over a link",
                                    run_update};
