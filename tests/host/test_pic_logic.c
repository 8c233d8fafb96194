/*
 * Host tests of the 8259A decisions (arch/x86_64/pc/pic_logic.c): a spurious IRQ 7 or 15 is known
 * by its clear in-service bit, and gets no EOI (7) or the master's only (15); real IRQs get one EOI
 * per PIC they passed through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/x86_64/pc/pic.h"
#include "arch/x86_64/pc/pic_logic.h"

static void test_irq_7_and_15_with_isr_bit_clear_are_spurious(void **state)
{
    (void)state;
    assert_true(pic_irq_is_spurious(7, 0x00));
    assert_true(pic_irq_is_spurious(15, 0x00));
    /* Other in-service bits do not make it real: only bit 7 of its own PIC counts. */
    assert_true(pic_irq_is_spurious(7, 0x7f));
    assert_true(pic_irq_is_spurious(15, 0x7f));
}

static void test_irq_7_and_15_in_service_are_real(void **state)
{
    (void)state;
    assert_false(pic_irq_is_spurious(7, 0x80));
    assert_false(pic_irq_is_spurious(15, 0x80));
    assert_false(pic_irq_is_spurious(7, 0xff));
}

static void test_other_irqs_are_never_spurious(void **state)
{
    (void)state;
    for (unsigned irq = 0; irq < PIC_IRQS; irq++) {
        if (irq == 7 || irq == 15)
            continue;
        assert_false(pic_irq_is_spurious(irq, 0x00));
    }
    assert_false(pic_irq_is_spurious(6, 0x00));
    assert_false(pic_irq_is_spurious(8, 0x00));
    assert_false(pic_irq_is_spurious(14, 0x00));
    assert_false(pic_irq_is_spurious(16, 0x00));
    assert_false(pic_irq_is_spurious(23, 0x00));
}

static void test_acknowledgements(void **state)
{
    (void)state;
    assert_int_equal(pic_ack_for(0, false), PIC_ACK_MASTER);
    assert_int_equal(pic_ack_for(7, false), PIC_ACK_MASTER);
    /* The slave's IRQs passed through the master's cascade input too. */
    assert_int_equal(pic_ack_for(8, false), PIC_ACK_BOTH);
    assert_int_equal(pic_ack_for(15, false), PIC_ACK_BOTH);
    /* 8259A datasheet: a spurious IRQ 15 is a real IRQ 2 at the master, whose EOI it needs. */
    assert_int_equal(pic_ack_for(7, true), PIC_ACK_NONE);
    assert_int_equal(pic_ack_for(15, true), PIC_ACK_MASTER);
    assert_int_equal(pic_ack_for(PIC_IRQS, false), PIC_ACK_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_irq_7_and_15_with_isr_bit_clear_are_spurious),
        cmocka_unit_test(test_irq_7_and_15_in_service_are_real),
        cmocka_unit_test(test_other_irqs_are_never_spurious),
        cmocka_unit_test(test_acknowledgements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
