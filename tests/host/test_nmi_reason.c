/* Host tests of the NMI reason decoding and clearing (arch/x86_64/pc/nmi_reason.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/pc/nmi_reason.h"

static void test_describe(void **state)
{
    (void)state;
    assert_non_null(strstr(nmi_reason_describe(0x80), "SERR"));
    assert_null(strstr(nmi_reason_describe(0x80), "IOCHK"));
    assert_non_null(strstr(nmi_reason_describe(0x40), "IOCHK"));
    assert_null(strstr(nmi_reason_describe(0x40), "SERR"));
    assert_non_null(strstr(nmi_reason_describe(0xc0), "SERR"));
    assert_non_null(strstr(nmi_reason_describe(0xc0), "IOCHK"));
    /* Bits 5:0 (timer 2, speaker, refresh, the enables) are not reasons. */
    assert_string_equal(nmi_reason_describe(0x3f), nmi_reason_describe(0x00));
    assert_non_null(strstr(nmi_reason_describe(0x00), "neither SERR nor IOCHK"));
}

static void test_clear_serr_keeps_the_other_bits(void **state)
{
    (void)state;
    uint8_t writes[2] = {0xff, 0xff};

    /* SERR latched; timer 2 gate and speaker on (bits 1:0), IOCHK enabled (bit 3 clear). */
    assert_int_equal(nmi_reason_clear_writes(0x80 | 0x20 | 0x03, writes), 2);
    assert_int_equal(writes[0], 0x07); /* bit 2 set: clear SERR; 7:4 are not written */
    assert_int_equal(writes[1], 0x03); /* bit 2 clear again: SERR enabled */
}

static void test_clear_iochk(void **state)
{
    (void)state;
    uint8_t writes[2];

    assert_int_equal(nmi_reason_clear_writes(0x40 | 0x01, writes), 2);
    assert_int_equal(writes[0], 0x09);
    assert_int_equal(writes[1], 0x01);
}

static void test_clear_both(void **state)
{
    (void)state;
    uint8_t writes[2];

    assert_int_equal(nmi_reason_clear_writes(0xc0, writes), 2);
    assert_int_equal(writes[0], 0x0c);
    assert_int_equal(writes[1], 0x00);
}

/* Nothing latched, whatever bits 5:0 say: the port is left alone. */
static void test_nothing_latched_writes_nothing(void **state)
{
    (void)state;
    uint8_t writes[2] = {0xaa, 0xaa};

    assert_int_equal(nmi_reason_clear_writes(0x3f, writes), 0);
    assert_int_equal(writes[0], 0xaa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_clear_serr_keeps_the_other_bits),
        cmocka_unit_test(test_clear_iochk),
        cmocka_unit_test(test_clear_both),
        cmocka_unit_test(test_nothing_latched_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
