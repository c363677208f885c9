/* bleota pubkey: print the public half of a key as hex (X||Y), a C array, or PEM. */
#include <stdio.h>
#include <string.h>

#include "bo_fileio.h"
#include "bo_keys.h"
#include "commands.h"

static const char pubkey_usage[] =
    "usage: bleota pubkey KEY [--format hex|c|pem] [--name IDENT] [-o OUT]\n"
    "KEY is a private key PEM (PKCS#8 or SEC1), a public key PEM, or X||Y hex (or a file of it).\n"
    "  --format hex  X||Y, 128 hex digits (default; what bootloaders embed)\n"
    "  --format c    a C array definition (--name sets its identifier, default bo_public_key)\n"
    "  --format pem  SubjectPublicKeyInfo PEM (for openssl dgst -verify)\n"
    "  -o OUT        write to OUT instead of stdout\n";

static int run_pubkey(int argc, char **argv)
{
    const char *fmt = "hex", *name = "bo_public_key", *out = NULL, *pos[1];
    int npos = 0;
    const bo_cli_opt_t opts[] = {{"--format", NULL, &fmt, NULL},
                                 {"--name", NULL, &name, NULL},
                                 {"--output", "-o", &out, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"pubkey", pubkey_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    if (strcmp(fmt, "hex") != 0 && strcmp(fmt, "c") != 0 && strcmp(fmt, "pem") != 0) {
        return bo_cli_err("pubkey", "--format: unknown format '%s' (hex, c or pem)", fmt);
    }
    uint8_t pub[BO_P256_PUB_SIZE];
    char msg[BO_KEYS_MSG_MAX], text[1024];
    if (bo_pubkey_load(pub, pos[0], msg, sizeof msg) != BO_OK) {
        return bo_cli_err(pos[0], "%s", msg);
    }
    size_t len = 0;
    int e;
    if (strcmp(fmt, "hex") == 0) {
        e = bo_pubkey_to_hex(pub, text, sizeof text - 1);
        len = strlen(text);
        text[len++] = '\n';
        text[len] = '\0';
    } else if (strcmp(fmt, "c") == 0) {
        e = bo_pubkey_to_c(pub, name, text, sizeof text, &len);
    } else {
        e = bo_pubkey_to_pem(pub, text, sizeof text, &len);
    }
    if (e != BO_OK) {
        return bo_cli_err("pubkey", "cannot format the key as %s (%s)", fmt,
                          e == BO_ERR_ARG ? "bad --name" : bo_err_str(e));
    }
    if (out == NULL) {
        fwrite(text, 1, len, stdout);
        return BO_EXIT_OK;
    }
    char err[BO_ERRMSG_MAX];
    if (bo_file_write_atomic(out, text, len, 0u, err) != 0) {
        return bo_cli_err(out, "%s", err);
    }
    return BO_EXIT_OK;
}

const bo_cli_cmd_t bo_cmd_pubkey = {"pubkey", "print a key's public half (hex X||Y, C or PEM)",
                                    run_pubkey};
