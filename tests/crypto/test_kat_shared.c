/* The known answers of crypto_kat.c (also run under QEMU by qemu_crypto_kat), on the host. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "crypto_kat.h"

static void report(const char *what, int got, int want)
{
    print_error("%s: got %d, want %d\n", what, got, want);
}

static void crypto_known_answers_match(void **state)
{
    assert_int_equal(crypto_kat_run(report), 0);
    assert_true(crypto_kat_cases() > 400u); /* the table really ran */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crypto_known_answers_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
