/* The simulated device's event loop: poll() over registered descriptors plus one-shot timers.
 * Every part of the device (serial DFU, the demo app, the BLE link) registers what it needs;
 * callbacks run one at a time on the loop's thread. */
#ifndef BO_DEVICE_LOOP_H
#define BO_DEVICE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define DEV_MAX_WATCH 8
#define DEV_MAX_TIMERS 16

typedef struct bo_device bo_device_t;

/* revents: poll() bits (POLLIN, POLLHUP, POLLERR...). */
typedef void (*dev_fd_cb)(bo_device_t *dev, int fd, short revents, void *ctx);
typedef void (*dev_timer_cb)(bo_device_t *dev, void *ctx);
/* Idle work: returns 1 when it did something and wants to run again soon, 0 when done. */
typedef int (*dev_idle_cb)(bo_device_t *dev, void *ctx);

typedef struct dev_loop {
    struct {
        int fd;
        dev_fd_cb cb;
        void *ctx;
    } w[DEV_MAX_WATCH];
    struct {
        uint64_t due_ms; /* 0: slot free */
        dev_timer_cb cb;
        void *ctx;
    } t[DEV_MAX_TIMERS];
    dev_idle_cb idle; /* NULL: none */
    void *idle_ctx;
} dev_loop_t;

void dev_loop_init(dev_loop_t *loop);
/* Watches fd for input. 0, or -1 when all DEV_MAX_WATCH slots are used. */
int dev_watch_fd(bo_device_t *dev, int fd, dev_fd_cb cb, void *ctx);
void dev_unwatch_fd(bo_device_t *dev, int fd);
/* A one-shot timer ms from now. Returns its id (>= 0), or -1 when all slots are used. */
int dev_add_timer(bo_device_t *dev, uint32_t ms, dev_timer_cb cb, void *ctx);
/* Cancels a timer; ids < 0 are ignored. Always returns -1 (handy: id = dev_cancel_timer(...)). */
int dev_cancel_timer(bo_device_t *dev, int id);
/* Sets (or with NULL clears) the idle work: called once per loop turn before waiting; while it
 * returns 1 the loop does not sleep, so events and idle work take turns. */
void dev_set_idle(bo_device_t *dev, dev_idle_cb cb, void *ctx);
/* Monotonic milliseconds. */
uint64_t dev_now_ms(void);
/* Runs until dev->stop is set (by a callback or a signal). After each callback, a pending
 * reset (dev_request_reset) reboots the device. Returns dev->exit_code. */
int dev_loop_run(bo_device_t *dev);

#endif
