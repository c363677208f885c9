/* bleota serial: program a signed image over the serial DFU executive (reference §4.6 host
 * procedure): EXEC_VERSION until the device answers, PAGE_ERASE of the download slot,
 * 4096-byte PROG_CLUSTER_VERIFY clusters, RESET. Speaks exactly the reference command words,
 * so it also drives a stock Microchip bootloader. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "bleota/layout_bz2.h"
#include "bo_fileio.h"
#include "bo_hexstr.h"
#include "commands.h"
#include "file_kind.h"
#include "progress.h"

#define SER_CLUSTER 4096u
#define SER_REPLY_MS 5000u /* per command, as Microchip's scripts */
#define SER_HELLO_MS 400u  /* one EXEC_VERSION attempt (the device answers after its gap) */
#define SER_DRAIN_MS 150u  /* late answers to repeated EXEC_VERSIONs */
#define SER_INPUT_MAX (64u * 1024u * 1024u) /* read ELF/HEX files too, to say what they are */

static const char serial_usage[] =
    "usage: bleota serial --port PATH SIGNED.bin [--method sum|crc] [--no-reset] [--timeout-ms N]\n"
    "                     [--quiet]\n"
    "Writes a signed image (metadata header + firmware, not an OTA file) into the download slot\n"
    "(0x01080000) through the serial DFU executive, then resets the device so its bootloader\n"
    "authenticates and installs it. The device must be in serial DFU: its DFU trigger GPIO held\n"
    "at reset, or the bootloader's listening window after a reset (bleota-device: --sdfu or\n"
    "--sdfu-window MS).\n"
    "  --port PATH      serial device (or a bleota-device --serial link)\n"
    "  --method M       cluster check: crc (CRC-16/CCITT, default) or sum (32-bit byte sum)\n"
    "  --no-reset       do not send RESET at the end\n"
    "  --timeout-ms N   how long to keep asking for the executive (default 10000): covers a\n"
    "                   device that is still resetting or only listens in a window after reset\n"
    "  --quiet          no progress output (errors and the final summary line remain)\n"
    "Progress on stdout as `bleota update`'s: a bar on a terminal, otherwise one line per step\n"
    "and per acknowledged 4096-byte cluster (sent X/Y bytes); then \"sent N bytes in C clusters\n"
    "in T s\" and \"done: ...\".\n"
    "exit codes: 0 written (and reset), 1 the device failed or did not answer, 2 usage, bad file\n"
    "  or a port that does not open\n";

typedef struct ser {
    int fd;
    const char *port;
    bo_progress_t progress;
} ser_t;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int ser_open(ser_t *s, const char *path)
{
    struct termios t;
    s->port = path;
    s->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (s->fd < 0) {
        return -1;
    }
    if (isatty(s->fd) && tcgetattr(s->fd, &t) == 0) { /* raw 115200 8-N-1 */
        t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        t.c_oflag &= ~(tcflag_t)OPOST;
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB);
        t.c_cflag |= CS8 | CLOCAL | CREAD;
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(s->fd, TCSANOW, &t);
    }
    return 0;
}

static int ser_write(ser_t *s, const uint8_t *p, size_t len)
{
    uint64_t end = now_ms() + SER_REPLY_MS;
    while (len > 0) {
        ssize_t n = write(s->fd, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return -1;
        } else if (now_ms() > end) {
            errno = ETIMEDOUT;
            return -1;
        } else {
            struct pollfd pf = {s->fd, POLLOUT, 0};
            poll(&pf, 1, 50);
        }
    }
    return 0;
}

/* Reads exactly len bytes within ms. 0, or -1 (errno ETIMEDOUT on silence). */
static int ser_read(ser_t *s, uint8_t *p, size_t len, uint32_t ms)
{
    uint64_t end = now_ms() + ms;
    while (len > 0) {
        uint64_t now = now_ms();
        if (now >= end) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd pf = {s->fd, POLLIN, 0};
        if (poll(&pf, 1, (int)(end - now)) <= 0) {
            continue;
        }
        ssize_t n = read(s->fd, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            return -1;
        }
    }
    return 0;
}

static void ser_drain(ser_t *s, uint32_t ms)
{
    uint8_t junk[64];
    while (ser_read(s, junk, 1, ms) == 0) {
    }
}

/* Sends a frame and waits for the one-word answer to cmd. 0 PASS, 1 FAIL/NACK, -1 I/O. */
static int command(ser_t *s, const uint8_t *frame, size_t len, uint32_t cmd, uint32_t ms,
                   uint32_t *answer)
{
    uint8_t w[4];
    if (ser_write(s, frame, len) != 0) {
        return -1;
    }
    do { /* a late answer to a repeated EXEC_VERSION is not this command's answer */
        if (ser_read(s, w, 4, ms) != 0) {
            return -1;
        }
        *answer = bo_get_le32(w);
    } while (cmd != 0x07u && (*answer >> 16) == 0x07u);
    return (*answer >> 16) == cmd && (*answer & 0xFFFFu) == 0 ? 0 : 1;
}

/* EXEC_VERSION until the executive answers (the device may still be resetting). */
static int hello(ser_t *s, uint32_t timeout_ms)
{
    uint8_t f[4], w[4];
    uint64_t end = now_ms() + timeout_ms;
    bo_put_le32(f, (0x07u << 16) | 1u);
    do {
        if (ser_write(s, f, sizeof f) == 0 && ser_read(s, w, 4, SER_HELLO_MS) == 0 &&
            (bo_get_le32(w) >> 16) == 0x07u && (bo_get_le32(w) & 0xFFFFu) != 0) {
            ser_drain(s, SER_DRAIN_MS);
            return (int)(bo_get_le32(w) & 0xFFFFu);
        }
    } while (now_ms() < end);
    return -1;
}

/* The file must be what serial DFU carries: a signed image, never an OTA file. */
static int check_image(const char *path, const uint8_t *img, size_t len)
{
    bo_md_t md;
    bo_kind_t kind = bo_kind_of(img, len);
    if (kind == BO_KIND_SIGNED) {
        bo_md_parse(img, &md);
        if (len < BO_MD_SIZE + (size_t)md.fw_len) {
            return bo_cli_err(path, "truncated: header says %u firmware bytes, file has %zu",
                              md.fw_len, len - BO_MD_SIZE);
        }
        if (len > BO_BZ2_DL_LIMIT) {
            return bo_cli_err(path, "too big for the download slot (%zu > %u bytes)", len,
                              BO_BZ2_DL_LIMIT);
        }
        return 0;
    }
    if (kind == BO_KIND_OTA) {
        return bo_cli_err(path, "this is an OTA file (send it with `bleota update`); serial DFU "
                                "takes the signed image it was made from (`bleota image sign`)");
    }
    return bo_cli_err("serial",
                      "%s is %s, not a signed BZ2 image (no valid metadata header): sign it "
                      "first with `bleota image sign`",
                      path, bo_kind_desc(kind));
}

/* What the device must be doing for the executive to answer (the bootloader's entry triggers:
 * mchp-bz2-platform-reference.md §4.2). */
#define NO_EXECUTIVE_HINT                                                                          \
    "put the device in serial DFU (hold its DFU trigger GPIO low at reset, or reset it and catch " \
    "the bootloader's timer window; bleota-device: --sdfu or --sdfu-window MS) or wait longer "    \
    "with --timeout-ms"

/* Why a command got no answer: what the device must be doing, in the error line. */
#define NO_ANSWER_HINT                                                                             \
    "no answer from the device: it reset or left serial DFU (a window bootloader closes its "      \
    "window when commands pause); put it back in serial DFU and run again"

static int fail_io(ser_t *s, const char *what, uint32_t answer, int rc)
{
    bo_progress_end(&s->progress);
    if (rc < 0) {
        return bo_cli_err(s->port, "%s: %s", what,
                          errno == ETIMEDOUT ? NO_ANSWER_HINT : strerror(errno)),
               BO_EXIT_FAIL;
    }
    return bo_cli_err(s->port, "%s: device answered 0x%08x (%s)", what, answer,
                      (answer & 0xFFFFu) == 3 ? "NACK" : "FAIL"),
           BO_EXIT_FAIL;
}

/* Method 1: 32-bit byte sum; method 2: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF). */
static uint32_t cluster_sum(uint32_t method, const uint8_t *p, size_t n)
{
    uint32_t sum = method == 1 ? 0u : 0xFFFFu;
    for (size_t i = 0; i < n; i++) {
        if (method == 1) {
            sum += p[i];
            continue;
        }
        sum ^= (uint32_t)p[i] << 8;
        for (int b = 0; b < 8; b++) {
            sum = (sum & 0x8000u) ? ((sum << 1) ^ 0x1021u) & 0xFFFFu : (sum << 1) & 0xFFFFu;
        }
    }
    return sum;
}

static int send_clusters(ser_t *s, const uint8_t *img, size_t len, uint32_t method)
{
    uint8_t f[16 + SER_CLUSTER];
    uint32_t answer;
    bo_progress_stage(&s->progress, "transfer");
    for (size_t off = 0; off < len; off += SER_CLUSTER) {
        size_t n = len - off < SER_CLUSTER ? len - off : SER_CLUSTER;
        size_t padded = (n + 15u) / 16u * 16u; /* whole quad-words: never let the device guess */
        memset(f + 16, 0xFF, padded);
        memcpy(f + 16, img + off, n);
        uint32_t sum = cluster_sum(method, f + 16, padded);
        bo_put_le32(f, (0x11u << 16) | method);
        bo_put_le32(f + 4, BO_BZ2_SLOT1 + (uint32_t)off);
        bo_put_le32(f + 8, (uint32_t)padded);
        bo_put_le32(f + 12, sum);
        int rc = command(s, f, 16 + padded, 0x11u, SER_REPLY_MS, &answer);
        if (rc != 0) {
            char what[64];
            snprintf(what, sizeof what, "cluster at 0x%08x", BO_BZ2_SLOT1 + (unsigned)off);
            return fail_io(s, what, answer, rc);
        }
        bo_progress_bytes(&s->progress, (uint32_t)(off + n), (uint32_t)len);
    }
    return BO_EXIT_OK;
}

static int program(ser_t *s, const uint8_t *img, size_t len, uint32_t method, int reset,
                   uint32_t timeout_ms)
{
    uint8_t f[8];
    uint32_t answer = 0, pages = (uint32_t)((len + SER_CLUSTER - 1) / SER_CLUSTER);
    uint64_t t0 = now_ms();
    bo_progress_stage(&s->progress, "wait for the serial DFU executive");
    int ver = hello(s, timeout_ms);
    if (ver < 0) {
        bo_cli_err(s->port, "no serial DFU executive answered within %u ms: %s", timeout_ms,
                   NO_EXECUTIVE_HINT);
        return BO_EXIT_FAIL;
    }
    bo_progress_line(&s->progress, "executive: version %d on %s, %u pages to erase at 0x%08x", ver,
                     s->port, pages, BO_BZ2_SLOT1);
    bo_progress_stage(&s->progress, "erase");
    bo_put_le32(f, (0x05u << 16) | pages);
    bo_put_le32(f + 4, BO_BZ2_SLOT1);
    int rc = command(s, f, 8, 0x05u, SER_REPLY_MS + pages * 50u, &answer);
    if (rc != 0) {
        return fail_io(s, "page erase", answer, rc);
    }
    if ((rc = send_clusters(s, img, len, method)) != BO_EXIT_OK) {
        return rc;
    }
    if (reset) {
        bo_progress_stage(&s->progress, "reset request");
        bo_put_le32(f, 0x12u << 16);
        if (ser_write(s, f, 4) != 0) {
            return fail_io(s, "reset", 0, -1);
        }
        tcdrain(s->fd);
    }
    bo_progress_end(&s->progress);
    printf("sent %zu bytes in %u clusters in %.1f s\n", len, pages,
           (double)(now_ms() - t0) / 1000.0);
    bo_progress_line(&s->progress, "%s",
                     reset ? "done: the device resets; its bootloader authenticates and installs "
                             "the image"
                           : "done: the image is in the download slot (no reset: --no-reset)");
    return BO_EXIT_OK;
}

static int run_serial(int argc, char **argv)
{
    const char *port = NULL, *method_s = "crc", *timeout_s = "10000", *pos[1];
    int no_reset = 0, quiet = 0, npos = 0;
    const bo_cli_opt_t opts[] = {{"--port", "-p", &port, NULL},
                                 {"--method", NULL, &method_s, NULL},
                                 {"--timeout-ms", NULL, &timeout_s, NULL},
                                 {"--no-reset", NULL, NULL, &no_reset},
                                 {"--quiet", "-q", NULL, &quiet},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"serial", serial_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    uint32_t timeout_ms, method = strcmp(method_s, "sum") == 0 ? 1u : 2u;
    if (port == NULL) {
        return bo_cli_err("serial", "--port PATH is required");
    }
    if (strcmp(method_s, "sum") != 0 && strcmp(method_s, "crc") != 0) {
        return bo_cli_err("serial", "--method: '%s' is neither sum nor crc", method_s);
    }
    if (bo_parse_u32(timeout_s, 0, &timeout_ms) != 0) {
        return bo_cli_err("serial", "--timeout-ms: not a number: %s", timeout_s);
    }
    char err[BO_ERRMSG_MAX];
    uint8_t *img = NULL;
    size_t len = 0;
    if (bo_file_read(pos[0], SER_INPUT_MAX, &img, &len, err) != 0) {
        return bo_cli_err(pos[0], "%s", err);
    }
    ser_t s;
    if ((rc = check_image(pos[0], img, len)) == 0) {
        bo_progress_init(&s.progress, quiet != 0);
        if (ser_open(&s, port) != 0) {
            rc = bo_cli_err(port, "cannot open: %s%s", strerror(errno),
                            errno == ENOENT ? ": is the board plugged in (or bleota-device "
                                              "started with --serial PATH)?"
                                            : "");
        } else {
            rc = program(&s, img, len, method, !no_reset, timeout_ms);
            close(s.fd);
        }
    }
    free(img);
    return rc;
}

const bo_cli_cmd_t bo_cmd_serial = {"serial", "program a signed image over serial DFU (UART)",
                                    run_serial};
