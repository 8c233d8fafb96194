/* Host tests of the ESR's description (arch/x86_64/apic/lapic_esr.c): every bit named, and cut
 * safely.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/apic/lapic_esr.h"

static char text[200];

static const char *describe(uint32_t esr)
{
    memset(text, 'x', sizeof(text));
    size_t length = lapic_esr_describe(esr, text, sizeof(text));
    assert_int_equal(length, strlen(text));
    return text;
}

static void test_each_bit(void **state)
{
    (void)state;
    assert_string_equal(describe(LAPIC_ESR_SEND_CHECKSUM), "send checksum error");
    assert_string_equal(describe(LAPIC_ESR_RECEIVE_CHECKSUM), "receive checksum error");
    assert_string_equal(describe(LAPIC_ESR_SEND_ACCEPT), "send accept error");
    assert_string_equal(describe(LAPIC_ESR_RECEIVE_ACCEPT), "receive accept error");
    assert_string_equal(describe(LAPIC_ESR_REDIRECTABLE_IPI), "redirectable IPI");
    assert_string_equal(describe(LAPIC_ESR_SEND_ILLEGAL), "send illegal vector");
    assert_string_equal(describe(LAPIC_ESR_RECEIVE_ILLEGAL), "received illegal vector");
    assert_string_equal(describe(LAPIC_ESR_ILLEGAL_REGISTER), "illegal register address");
}

static void test_several_bits_in_order(void **state)
{
    (void)state;
    assert_string_equal(describe(LAPIC_ESR_ILLEGAL_REGISTER | LAPIC_ESR_SEND_ILLEGAL),
                        "send illegal vector, illegal register address");
}

static void test_none_and_reserved(void **state)
{
    (void)state;
    assert_string_equal(describe(0), "no error");
    assert_string_equal(describe(1u << 8), "reserved bits 0x100");
    assert_string_equal(describe(LAPIC_ESR_RECEIVE_ILLEGAL | 0x80000000u),
                        "received illegal vector, reserved bits 0x80000000");
}

/* A short buffer: cut, NUL-terminated, never written past; the full length still returned. */
static void test_cut_to_the_buffer(void **state)
{
    (void)state;
    const char *full = "send illegal vector, illegal register address";
    uint32_t esr = LAPIC_ESR_ILLEGAL_REGISTER | LAPIC_ESR_SEND_ILLEGAL;
    char small[12];

    memset(small, 'x', sizeof(small));
    assert_int_equal(lapic_esr_describe(esr, small, 8), strlen(full));
    assert_string_equal(small, "send il");
    assert_int_equal(small[8], 'x');

    /* Cut exactly at the end of the first name, and at the separator after it. */
    assert_int_equal(lapic_esr_describe(esr, small, 1), strlen(full));
    assert_string_equal(small, "");
    memset(text, 'x', sizeof(text));
    assert_int_equal(lapic_esr_describe(esr, text, strlen("send illegal vector") + 1),
                     strlen(full));
    assert_string_equal(text, "send illegal vector");
    assert_int_equal(lapic_esr_describe(esr, NULL, 0), strlen(full));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_bit),
        cmocka_unit_test(test_several_bits_in_order),
        cmocka_unit_test(test_none_and_reserved),
        cmocka_unit_test(test_cut_to_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
