/*
 * Host tests of kernel/deadline.h on a played clock: a wait is over at its time exactly (not a
 * nanosecond before), and where the clock stands still, after exactly its count of spins; in
 * milliseconds and in microseconds.
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

/* In microseconds (the SDM's 200 us between startup IPIs): the time and the spins, each exact. */
static void a_wait_in_microseconds_at_its_time_and_its_spins(void **state)
{
    (void)state;
    now_ns = 7000;
    struct deadline deadline = deadline_in_us(200);
    now_ns = 7000 + 200000 - 1;
    assert_false(deadline_passed(&deadline));
    now_ns++;
    assert_true(deadline_passed(&deadline));

    now_ns = 0;
    deadline = deadline_in_us(200);
    for (uint64_t spin = 0; spin < 200 * DEADLINE_SPINS_PER_MS / 1000; spin++)
        assert_false(deadline_passed(&deadline));
    assert_true(deadline_passed(&deadline));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_wait_is_over_at_its_time_and_not_before),
        cmocka_unit_test(a_clock_that_stands_still_ends_after_the_spins),
        cmocka_unit_test(a_wait_in_microseconds_at_its_time_and_its_spins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
