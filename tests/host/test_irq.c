/*
 * Host tests of the portable interrupt layer (kernel/irq.c) over a played controller: what
 * irq_register accepts and refuses (both ends of the irq range), that it routes and unmasks,
 * that mask and unmask reach the controller only for a registered irq, the counts, and what
 * irq_print_counts shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/irq.h"
#include "tests/host/console_stub.h"
#include "tests/host/cpu_double.h"

/* The played controller: which irqs it can route, and what it was told. */
static bool routable[IRQ_COUNT];
static int routed[IRQ_COUNT];
static int masked_calls, unmasked_calls;
static unsigned last_masked_irq;
static bool last_masked;

bool arch_irq_route(unsigned irq)
{
    assert_true(irq < IRQ_COUNT);
    assert_false(cpu_double_interrupts_on()); /* routing happens with interrupts off */
    if (!routable[irq])
        return false;
    routed[irq]++;
    return true;
}

void arch_irq_set_masked(unsigned irq, bool masked)
{
    last_masked_irq = irq;
    last_masked = masked;
    if (masked)
        masked_calls++;
    else
        unmasked_calls++;
}

const char *arch_irq_controller_name(void)
{
    return "played controller";
}

static int calls;
static void *seen_context;

static void handler(void *context)
{
    calls++;
    seen_context = context;
}

static int setup(void **state)
{
    (void)state;
    memset(routable, 1, sizeof(routable));
    masked_calls = unmasked_calls = 0;
    calls = 0;
    seen_context = NULL;
    console_stub_reset();
    return 0;
}

/* irq.c keeps its table for the whole program, so each test uses irqs of its own. */

static void test_register_routes_and_unmasks(void **state)
{
    (void)state;
    int context;

    assert_true(irq_register(1, handler, &context));
    assert_int_equal(routed[1], 1);
    assert_int_equal(unmasked_calls, 1);
    assert_int_equal(last_masked_irq, 1);
    assert_false(last_masked);
    assert_true(cpu_double_interrupts_on()); /* given back */

    irq_dispatch(1);
    assert_int_equal(calls, 1);
    assert_ptr_equal(seen_context, &context);
    assert_int_equal(irq_count(1), 1);
}

static void test_register_refuses_a_taken_irq(void **state)
{
    (void)state;
    assert_true(irq_register(3, handler, NULL));
    assert_false(irq_register(3, handler, NULL));
    assert_int_equal(routed[3], 1); /* not routed again */
}

static void test_register_refuses_what_the_controller_cannot_route(void **state)
{
    (void)state;
    routable[2] = false;
    assert_false(irq_register(2, handler, NULL));
    assert_int_equal(unmasked_calls, 0);
    /* Refused, nothing recorded: a later routable attempt still works. */
    routable[2] = true;
    assert_true(irq_register(2, handler, NULL));
}

static void test_register_range_ends(void **state)
{
    (void)state;
    assert_false(irq_register(IRQ_COUNT, handler, NULL));
    assert_false(irq_register(IRQ_COUNT + 1000, handler, NULL));
    assert_true(irq_register(IRQ_COUNT - 1, handler, NULL));
    assert_true(irq_register(0, handler, NULL));
    assert_false(irq_register(4, NULL, NULL));
}

static void test_mask_and_unmask_only_registered_irqs(void **state)
{
    (void)state;
    irq_mask(5); /* not registered */
    irq_unmask(5);
    irq_mask(IRQ_COUNT);
    assert_int_equal(masked_calls + unmasked_calls, 0);

    assert_true(irq_register(5, handler, NULL));
    irq_mask(5);
    assert_int_equal(masked_calls, 1);
    assert_true(last_masked);
    irq_unmask(5);
    assert_int_equal(unmasked_calls, 2); /* irq_register's, then this one */
    assert_false(last_masked);
}

static void test_counts(void **state)
{
    (void)state;
    assert_true(irq_register(6, handler, NULL));
    for (int i = 0; i < 3; i++)
        irq_dispatch(6);
    assert_int_equal(irq_count(6), 3);
    assert_int_equal(calls, 3);
    irq_dispatch(IRQ_COUNT); /* out of range: ignored */
    assert_int_equal(irq_count(IRQ_COUNT), 0);

    uint64_t total = irq_spurious_total();
    irq_note_spurious(7);
    irq_note_spurious(15);
    irq_note_spurious(15);
    irq_note_spurious_local();
    irq_note_spurious(IRQ_COUNT);
    assert_int_equal(irq_spurious_count(7), 1);
    assert_int_equal(irq_spurious_count(15), 2);
    assert_int_equal(irq_spurious_total(), total + 4);
    /* A spurious interrupt is not a handled one. */
    assert_int_equal(irq_count(7), 0);
}

static void test_print_counts(void **state)
{
    (void)state;
    assert_true(irq_register(9, handler, NULL));
    irq_dispatch(9);
    irq_dispatch(9);
    irq_note_spurious(7);
    irq_print_counts();
    assert_non_null(strstr(console_stub_output, "interrupts (played controller):\n"));
    assert_non_null(strstr(console_stub_output, "  irq   9: 2\n"));
    assert_non_null(strstr(console_stub_output, "  irq   7: 0, 2 spurious (no handler)\n"));
    /* test_counts noted 3 on the PIC's lines and 1 local one before; this test 1 more. */
    assert_non_null(
        strstr(console_stub_output, "  spurious: 5 in all, 1 at the CPU's own controller\n"));
    /* An irq with no handler and nothing counted is left out. */
    assert_null(strstr(console_stub_output, "irq  10:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_register_routes_and_unmasks, setup),
        cmocka_unit_test_setup(test_register_refuses_a_taken_irq, setup),
        cmocka_unit_test_setup(test_register_refuses_what_the_controller_cannot_route, setup),
        cmocka_unit_test_setup(test_register_range_ends, setup),
        cmocka_unit_test_setup(test_mask_and_unmask_only_registered_irqs, setup),
        cmocka_unit_test_setup(test_counts, setup),
        cmocka_unit_test_setup(test_print_counts, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
