/* Test helper: read a Microchip fixture file (from BO_FIXTURES) into a malloc'd buffer. */
#ifndef BO_TEST_FIXTURE_H
#define BO_TEST_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline uint8_t *fixture_load(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", BO_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1u);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#define FIX_OTA "ble_Sensor_OTA.bin"
#define FIX_UART "ext_light.X.production.signed_1.0.0.1_uart.bin"

#endif
