/*
 * Host tests of kernel/deadline.h on a played clock: a wait is over at its time exactly (not a
 * nanosecond before), and where the clock stands still, after exactly its count of spins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/deadline.h"

static uint64_t now_ns;

uint64_t clock_ns(void)
{
    return now_ns;
}

static void the_wait_is_over_at_its_time_and_not_before(void **state)
{
    (void)state;
    now_ns = 5000;
    struct deadline deadline = deadline_in_ms(2);
    now_ns = 5000 + 2000000 - 1;
    assert_false(deadline_passed(&deadline));
    now_ns++;
    assert_true(deadline_passed(&deadline));
}

/* Before clock_init the clock reads 0 for good: the spins alone end the wait. */
static void a_clock_that_stands_still_ends_after_the_spins(void **state)
{
    (void)state;
    now_ns = 0;
    struct deadline deadline = deadline_in_ms(3);
    for (uint64_t spin = 0; spin < 3 * DEADLINE_SPINS_PER_MS; spin++)
        assert_false(deadline_passed(&deadline));
    assert_true(deadline_passed(&deadline));
    assert_true(deadline_passed(&deadline)); /* and stays over */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_wait_is_over_at_its_time_and_not_before),
        cmocka_unit_test(a_clock_that_stands_still_ends_after_the_spins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
