/* bleota-device: the simulated device (see device.h and docs/device.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app_demo.h"
#include "bleota/img.h"
#include "bo_hexstr.h"
#include "device.h"

static const char usage[] =
    "usage: bleota-device --flash FILE [--provision SIGNED.bin] [--pubkey PEM|HEX]\n"
    "         [--mchp-dev-keys] [--serial PATH] [--sdfu] [--sdfu-window MS] [--ble PATH]\n"
    "         [--aes-key HEX --aes-iv HEX] [--allow-auth none,sha256,ecdsa]\n"
    "         [--allow-downgrade] [--exit-after-boot] [--watchdog-ms MS]\n"
    "       bleota-device --print-config\n"
    "A simulated PIC32CX-BZ2 device: NOR flash in FILE (BZ2 map), the bleota bootloader at\n"
    "every reset, serial DFU on a pty linked at PATH, then the demo application. The demo\n"
    "confirms a trial image after its self-test; firmware starting with the ASCII text\n"
    "BLEOTA-SIM-CRASH crashes at start, BLEOTA-SIM-HANG stops feeding the watchdog,\n"
    "BLEOTA-SIM-NOCONFIRM runs but never confirms (docs/device.md).\n"
    "  --flash FILE       the flash image (created blank if missing; survives restarts)\n"
    "  --provision F      factory-program slot 0 with F before the first boot\n"
    "  --pubkey K         ECDSA P-256 public key: PEM file (public or private) or 128 hex digits\n"
    "  --mchp-dev-keys    Microchip's published development key (insecure; also its AES key)\n"
    "  --aes-key HEX, --aes-iv HEX  AES-128 key and IV of OTA files (32 hex digits each)\n"
    "  --serial PATH      serial DFU: a pty is created and linked at PATH\n"
    "  --sdfu             stay in serial DFU at the next boot (one-shot trigger)\n"
    "  --sdfu-window MS   listen for serial DFU for MS after each reset before booting\n"
    "  --ble PATH         the application serves BLE OTA on a Unix socket at PATH\n"
    "  --allow-auth LIST  authentication methods accepted (default: ecdsa)\n"
    "  --allow-downgrade  the bootloader installs an older signed version too\n"
    "  --exit-after-boot  exit after the first boot decision (0: running, 3: no image)\n"
    "  --watchdog-ms MS   watchdog period armed for a trial image (default 4000)\n"
    "  --print-config     print the OTA configuration the application would run with\n"
    "                     (the shipped defaults plus the BO_DEVICE_* variables) and exit\n"
    "Environment (tests): BO_DEVICE_REFUSE_UPDATES=1, BO_DEVICE_OTA_TIMEOUT_MS=N,\n"
    "  BO_DEVICE_OTA_WINDOW=N (fixed window), BO_DEVICE_BLE_MTU=N, BO_DEVICE_NO_RESUME=1,\n"
    "  BO_DEVICE_NOTIFY_BUSY=N (refuse every Nth notification once): docs/device.md.\n"
    "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 no image (--exit-after-boot).\n";

#ifdef BO_DEVICE_HAVE_BLE
#include "app_ble.h"
static int print_config(void)
{
    bo_ota_att_cfg_t cfg;
    char line[512];
    app_ble_config(&cfg);
    bo_ota_cfg_describe(&cfg.ota, line, sizeof line);
    printf("%s\n", line);
    return 0;
}
#else
static int print_config(void)
{
    fputs("bleota-device: --print-config: no BLE OTA in this build\n", stderr);
    return 1;
}
#endif

static int usage_err(const char *fmt, const char *arg)
{
    fputs("bleota-device: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see --help)\n", stderr);
    return 2;
}

static int parse_auth(const char *text, uint32_t *mask)
{
    char buf[64];
    if (strlen(text) >= sizeof buf) {
        return -1;
    }
    strcpy(buf, text);
    *mask = 0;
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (strcmp(tok, "none") == 0) {
            *mask |= BO_AUTH_MASK(BO_AUTH_NONE);
        } else if (strcmp(tok, "sha256") == 0) {
            *mask |= BO_AUTH_MASK(BO_AUTH_SHA256);
        } else if (strcmp(tok, "ecdsa") == 0) {
            *mask |= BO_AUTH_MASK(BO_AUTH_ECDSA);
        } else {
            return -1;
        }
    }
    return *mask != 0 ? 0 : -1;
}

/* Options with a value; returns 1 if consumed (and *i advanced), 0 if not this kind, 2 error. */
static int value_opt(dev_opts_t *o, int argc, char **argv, int *i, const char **aes_key,
                     const char **aes_iv)
{
    static const char *const names[] = {"--flash",   "--provision", "--pubkey",
                                        "--serial",  "--ble",       "--sdfu-window",
                                        "--aes-key", "--aes-iv",    "--allow-auth",
                                        "--watchdog-ms"};
    const char *a = argv[*i];
    size_t k = 0;
    while (k < sizeof names / sizeof names[0] && strcmp(a, names[k]) != 0) {
        k++;
    }
    if (k == sizeof names / sizeof names[0]) {
        return 0;
    }
    if (*i + 1 >= argc) {
        return usage_err("%s needs a value", a), 2;
    }
    const char *v = argv[++*i];
    uint32_t u;
    switch (k) {
    case 0:
        o->flash_path = v;
        break;
    case 1:
        o->provision = v;
        break;
    case 2:
        o->pubkey = v;
        break;
    case 3:
        o->serial = v;
        break;
    case 4:
        o->ble = v;
        break;
    case 5:
        if (bo_parse_u32(v, 0, &u) != 0) {
            return usage_err("--sdfu-window: not a number of milliseconds: %s", v), 2;
        }
        o->sdfu_window_ms = u;
        break;
    case 6:
        *aes_key = v;
        break;
    case 7:
        *aes_iv = v;
        break;
    case 9:
        if (bo_parse_u32(v, 0, &u) != 0 || u == 0) {
            return usage_err("--watchdog-ms: not a positive number of milliseconds: %s", v), 2;
        }
        o->watchdog_ms = u;
        break;
    default:
        if (parse_auth(v, &o->allowed_auth) != 0) {
            return usage_err("--allow-auth: expected a list of none,sha256,ecdsa: %s", v), 2;
        }
        break;
    }
    return 1;
}

static int parse(dev_opts_t *o, int argc, char **argv)
{
    const char *aes_key = NULL, *aes_iv = NULL;
    memset(o, 0, sizeof *o);
    o->watchdog_ms = DEV_WATCHDOG_DEFAULT_MS;
    for (int i = 1; i < argc; i++) {
        int r = value_opt(o, argc, argv, &i, &aes_key, &aes_iv);
        if (r == 2) {
            return 2;
        } else if (r == 1) {
            continue;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        } else if (strcmp(argv[i], "--print-config") == 0) {
            return print_config() == 0 ? 1 : 3;
        } else if (strcmp(argv[i], "--mchp-dev-keys") == 0) {
            o->mchp_dev_keys = true;
        } else if (strcmp(argv[i], "--sdfu") == 0) {
            o->sdfu_trigger = true;
        } else if (strcmp(argv[i], "--allow-downgrade") == 0) {
            o->allow_downgrade = true;
        } else if (strcmp(argv[i], "--exit-after-boot") == 0) {
            o->exit_after_boot = true;
        } else {
            return usage_err("unknown option: %s", argv[i]);
        }
    }
    if (o->flash_path == NULL) {
        return usage_err("%s", "--flash FILE is required");
    }
    if ((aes_key == NULL) != (aes_iv == NULL)) {
        return usage_err("%s", "--aes-key and --aes-iv go together");
    }
    if (aes_key != NULL) {
        if (bo_hex_decode(aes_key, o->aes_key, 16) != 0 ||
            bo_hex_decode(aes_iv, o->aes_iv, 16) != 0) {
            return usage_err("%s", "--aes-key/--aes-iv: expected 32 hex digits each");
        }
        o->have_aes = true;
    }
#ifndef BO_DEVICE_HAVE_BLE
    if (o->ble != NULL) {
        return usage_err("--ble %s: BLE link not available in this build", o->ble);
    }
#endif
    return 0;
}

int main(int argc, char **argv)
{
    dev_opts_t opt;
    int rc = parse(&opt, argc, argv);
    if (rc != 0) {
        return rc == 1 ? 0 : rc == 3 ? 1 : 2;
    }
    bo_device_t *dev = calloc(1, sizeof *dev);
    if (dev == NULL) {
        return 1;
    }
    dev_install_signals();
    rc = dev_init(dev, &opt);
    if (rc == 0) {
        rc = dev_loop_run(dev);
        if (dev->mode == DEV_MODE_APP) {
            app_demo_stop(dev);
        }
        /* what this run cost the flash (tests count erases) */
        fprintf(stderr, "bleota-device: flash: %llu erases, %llu programs\n",
                (unsigned long long)dev->nor.erases, (unsigned long long)dev->nor.progs);
    }
    dev_close(dev);
    free(dev);
    return rc;
}
