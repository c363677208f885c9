/* bleota keygen: a new ECDSA P-256 private key as PKCS#8 PEM. */
#include <stdio.h>

#include "bo_keys.h"
#include "commands.h"

static const char keygen_usage[] =
    "usage: bleota keygen -o KEY.pem [--force]\n"
    "Generates an ECDSA P-256 private key (PKCS#8 PEM, mode 0600) and prints its public key\n"
    "as X||Y hex. The file is written to a new temporary file and renamed into place, so a\n"
    "failure leaves nothing behind.\n"
    "  --force  replace KEY.pem if it exists (otherwise refused: a lost signing key cannot\n"
    "           sign updates for the devices that trust it)\n";

static int run_keygen(int argc, char **argv)
{
    const char *out = NULL, *pos[1];
    int npos = 0, force = 0;
    const bo_cli_opt_t opts[] = {
        {"--output", "-o", &out, NULL}, {"--force", NULL, NULL, &force}, {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"keygen", keygen_usage, opts, pos, 0, 0};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    if (out == NULL) {
        return bo_cli_err("keygen", "missing -o KEY.pem");
    }
    bo_key_t key;
    char msg[BO_KEYS_MSG_MAX], hex[BO_PUB_HEX_SIZE];
    if (bo_key_generate(&key, msg, sizeof msg) != BO_OK) {
        return bo_cli_err("keygen", "%s", msg);
    }
    int e = bo_key_save(&key, out, force, msg, sizeof msg);
    if (e != BO_OK) {
        bo_key_wipe(&key);
        if (e == BO_ERR_REFUSED) {
            return bo_cli_err(out, "already exists: keygen does not replace a key (devices may "
                                   "trust it); pass --force to overwrite it");
        }
        return bo_cli_err(out, "%s", msg);
    }
    bo_pubkey_to_hex(key.pub, hex, sizeof hex);
    bo_key_wipe(&key);
    printf("wrote %s\npublic key: %s\n", out, hex);
    return BO_EXIT_OK;
}

const bo_cli_cmd_t bo_cmd_keygen = {"keygen", "generate an ECDSA P-256 signing key (PEM)",
                                    run_keygen};
