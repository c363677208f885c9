/* poll() loop with fd watchers and one-shot timers (see loop.h). */
#define _POSIX_C_SOURCE 200809L
#include "loop.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include "device.h"

uint64_t dev_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void dev_loop_init(dev_loop_t *loop)
{
    memset(loop, 0, sizeof *loop);
    for (int i = 0; i < DEV_MAX_WATCH; i++) {
        loop->w[i].fd = -1;
    }
}

int dev_watch_fd(bo_device_t *dev, int fd, dev_fd_cb cb, void *ctx)
{
    for (int i = 0; i < DEV_MAX_WATCH; i++) {
        if (dev->loop.w[i].fd < 0) {
            dev->loop.w[i].fd = fd;
            dev->loop.w[i].cb = cb;
            dev->loop.w[i].ctx = ctx;
            return 0;
        }
    }
    return -1;
}

void dev_unwatch_fd(bo_device_t *dev, int fd)
{
    for (int i = 0; i < DEV_MAX_WATCH; i++) {
        if (dev->loop.w[i].fd == fd) {
            dev->loop.w[i].fd = -1;
        }
    }
}

int dev_add_timer(bo_device_t *dev, uint32_t ms, dev_timer_cb cb, void *ctx)
{
    for (int i = 0; i < DEV_MAX_TIMERS; i++) {
        if (dev->loop.t[i].due_ms == 0) {
            dev->loop.t[i].due_ms = dev_now_ms() + ms + 1; /* never 0 */
            dev->loop.t[i].cb = cb;
            dev->loop.t[i].ctx = ctx;
            return i;
        }
    }
    return -1;
}

int dev_cancel_timer(bo_device_t *dev, int id)
{
    if (id >= 0 && id < DEV_MAX_TIMERS) {
        dev->loop.t[id].due_ms = 0;
    }
    return -1;
}

void dev_set_idle(bo_device_t *dev, dev_idle_cb cb, void *ctx)
{
    dev->loop.idle = cb;
    dev->loop.idle_ctx = ctx;
}

/* After any callback: a requested reset runs the boot ROM again, outside the caller's stack. */
static void after_callback(bo_device_t *dev)
{
    while (dev->reset_pending && !dev->stop) {
        bootrom_reset(dev);
    }
    if (!dev->nor.powered && !dev->stop) { /* BO_DEVICE_CUT_AT: the board lost power */
        dev_print("power: cut");
        dev->stop = true;
        dev->exit_code = 4;
    }
}

static void run_timers(bo_device_t *dev)
{
    uint64_t now = dev_now_ms();
    for (int i = 0; i < DEV_MAX_TIMERS; i++) {
        if (dev->loop.t[i].due_ms != 0 && dev->loop.t[i].due_ms <= now) {
            dev->loop.t[i].due_ms = 0; /* one-shot: the callback may re-arm */
            dev->loop.t[i].cb(dev, dev->loop.t[i].ctx);
            after_callback(dev);
        }
    }
}

static int next_timeout(const bo_device_t *dev)
{
    uint64_t now = dev_now_ms(), best = now + 200; /* wake now and then to see signals */
    for (int i = 0; i < DEV_MAX_TIMERS; i++) {
        if (dev->loop.t[i].due_ms != 0 && dev->loop.t[i].due_ms < best) {
            best = dev->loop.t[i].due_ms;
        }
    }
    return best > now ? (int)(best - now) : 0;
}

int dev_loop_run(bo_device_t *dev)
{
    struct pollfd pfd[DEV_MAX_WATCH];
    after_callback(dev);
    while (!dev->stop && !dev_signalled()) {
        bool busy = false;
        if (dev->loop.idle != NULL) {
            busy = dev->loop.idle(dev, dev->loop.idle_ctx) == 1;
            after_callback(dev);
        }
        int n = 0;
        for (int i = 0; i < DEV_MAX_WATCH; i++) {
            if (dev->loop.w[i].fd >= 0) {
                pfd[n].fd = dev->loop.w[i].fd;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                n++;
            }
        }
        int rc = poll(pfd, (nfds_t)n, busy ? 0 : next_timeout(dev));
        if (rc < 0 && errno != EINTR) {
            return 1;
        }
        for (int k = 0; rc > 0 && k < n && !dev->stop; k++) {
            if (pfd[k].revents == 0) {
                continue;
            }
            for (int i = 0; i < DEV_MAX_WATCH; i++) { /* the watcher may be gone by now */
                if (dev->loop.w[i].fd == pfd[k].fd) {
                    dev->loop.w[i].cb(dev, pfd[k].fd, pfd[k].revents, dev->loop.w[i].ctx);
                    after_callback(dev);
                    break;
                }
            }
        }
        run_timers(dev);
    }
    return dev->exit_code;
}
