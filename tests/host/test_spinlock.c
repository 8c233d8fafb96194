/*
 * Host tests of the ticket spinlock (kernel/spinlock.c) on one thread that plays several CPUs in
 * turn (tests/host/cpu_double.h): the interrupt flag it saves and puts back, the panic when a CPU
 * takes a lock it holds or lets go of one it does not, and the report of a long wait at its
 * bounds (the clock's and the spin count's) and one below each.
 */
#include <stdio.h>
#include <string.h>

#include "tests/host/console_stub.h"
#include "tests/host/cpu_double.h"
#include "tests/host/panic_double.h"

#include "kernel/spinlock.h"
#include "kernel/symbols.h"

static struct spinlock lock = SPINLOCK_INIT("test");

/* Takes the lock as CPU 1, from a function of its own: the report must name it. */
static __attribute__((noinline)) void take_as_cpu1(void)
{
    cpu_double_become(1);
    spin_lock(&lock);
    cpu_double_become(0);
}

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    uintptr_t start = (uintptr_t)take_as_cpu1;

    if (addr < start || addr - start >= 256)
        return NULL;
    *offset = addr - start;
    return "take_as_cpu1";
}

static int setup(void **state)
{
    (void)state;
    lock = (struct spinlock)SPINLOCK_INIT("test");
    cpu_double_become(0);
    cpu_double_set_interrupts(true);
    cpu_double_on_pause = NULL;
    cpu_double_now_ns = 0;
    console_stub_reset();
    return 0;
}

static void test_lock_saves_and_restores_interrupts(void **state)
{
    (void)state;
    spin_lock(&lock);
    assert_false(cpu_double_interrupts_on());
    assert_true(spin_lock_held(&lock));
    spin_unlock(&lock);
    assert_true(cpu_double_interrupts_on());
    assert_false(spin_lock_held(&lock));

    cpu_double_set_interrupts(false); /* as in an interrupt handler */
    spin_lock(&lock);
    spin_unlock(&lock);
    assert_false(cpu_double_interrupts_on());
}

static void test_nested_locks_restore_in_turn(void **state)
{
    (void)state;
    struct spinlock inner = SPINLOCK_INIT("inner");

    spin_lock(&lock);
    spin_lock(&inner);
    spin_unlock(&inner);
    assert_false(cpu_double_interrupts_on()); /* the outer lock still holds them off */
    spin_unlock(&lock);
    assert_true(cpu_double_interrupts_on());
}

static void test_held_is_per_cpu(void **state)
{
    (void)state;
    take_as_cpu1();
    assert_false(spin_lock_held(&lock));
    cpu_double_become(1);
    assert_true(spin_lock_held(&lock));
    spin_unlock(&lock);
}

static void test_taking_a_held_lock_again_panics(void **state)
{
    (void)state;
    take_as_cpu1();
    cpu_double_become(1);
    expect_panic(spin_lock(&lock));
    assert_non_null(strstr(panic_message, "spinlock test: taken again by CPU 1, which holds it"));
    assert_non_null(strstr(panic_message, "taken at take_as_cpu1+0x"));
    /* The panic came before a ticket was taken: the lock is as it was. */
    assert_int_equal(lock.next_ticket, 1);
}

static void test_letting_go_of_a_lock_held_elsewhere_panics(void **state)
{
    (void)state;
    take_as_cpu1();
    expect_panic(spin_unlock(&lock));
    assert_string_equal(panic_message, "spinlock test: let go by CPU 0, which does not hold it");
    assert_int_equal(lock.serving, 0);
}

static void test_letting_go_of_a_free_lock_panics(void **state)
{
    (void)state;
    expect_panic(spin_unlock(&lock));
    assert_string_equal(panic_message, "spinlock test: let go by CPU 0, which does not hold it");
}

static void test_owner_caller_is_the_caller_of_spin_lock(void **state)
{
    (void)state;
    take_as_cpu1();
    assert_true(lock.owner_caller > (uintptr_t)take_as_cpu1);
    assert_true(lock.owner_caller - (uintptr_t)take_as_cpu1 < 256);
    assert_int_equal(lock.owner, 1);
}

/*
 * The played holder, CPU 1, lets go after release_after pauses of CPU 0's wait; at pause
 * clock_at_pause the clock jumps to clock_to.
 */
static uint64_t pauses, release_after, clock_at_pause, clock_to;

static void holder_lets_go_in_time(void)
{
    pauses++;
    if (pauses == clock_at_pause)
        cpu_double_now_ns = clock_to;
    if (pauses == release_after) {
        __atomic_store_n(&lock.owner, -1, __ATOMIC_RELAXED);
        __atomic_store_n(&lock.serving, lock.serving + 1, __ATOMIC_RELEASE);
    }
}

/* CPU 1 holds the lock; CPU 0 waits for it. Returns how many report lines were printed. */
static int wait_while_held(uint64_t pauses_held)
{
    take_as_cpu1();
    pauses = 0;
    release_after = pauses_held;
    cpu_double_on_pause = holder_lets_go_in_time;
    spin_lock(&lock);
    cpu_double_on_pause = NULL;
    assert_int_equal(pauses, pauses_held);
    assert_int_equal(lock.owner, 0);
    spin_unlock(&lock);

    int lines = 0;
    for (const char *at = console_stub_output; (at = strstr(at, "keel: spinlock")) != NULL; at++)
        lines++;
    return lines;
}

static void test_no_report_for_a_short_wait(void **state)
{
    (void)state;
    assert_int_equal(wait_while_held(3 * SPIN_CLOCK_EVERY), 0);
    assert_int_equal(console_stub_length, 0);
}

static void test_report_at_the_spin_bound(void **state)
{
    (void)state;
    /* One pause more than the bound: the check at the bound still sees CPU 1 holding it. */
    assert_int_equal(wait_while_held(SPIN_REPORT_SPINS + 1), 1);
    char expected[128];
    snprintf(expected, sizeof(expected),
             "keel: spinlock test: CPU 0 has waited %llu pauses; CPU 1 holds it, taken at "
             "take_as_cpu1+0x",
             (unsigned long long)SPIN_REPORT_SPINS);
    assert_non_null(strstr(console_stub_output, expected));
}

static void test_no_report_one_below_the_spin_bound(void **state)
{
    (void)state;
    assert_int_equal(wait_while_held(SPIN_REPORT_SPINS - 1), 0);
}

static void test_report_at_the_time_bound(void **state)
{
    (void)state;
    cpu_double_now_ns = 5000000000ULL; /* the wait starts at 5 s */
    clock_at_pause = SPIN_CLOCK_EVERY; /* just before the first look at the clock */
    clock_to = cpu_double_now_ns + SPIN_REPORT_NS;
    assert_int_equal(wait_while_held(2 * SPIN_CLOCK_EVERY + 1), 1);
    assert_non_null(strstr(console_stub_output,
                           "keel: spinlock test: CPU 0 has waited 2000 ms; CPU 1 holds it, "
                           "taken at take_as_cpu1+0x"));
}

static void test_no_report_one_below_the_time_bound(void **state)
{
    (void)state;
    cpu_double_now_ns = 5000000000ULL;
    clock_at_pause = SPIN_CLOCK_EVERY;
    clock_to = cpu_double_now_ns + SPIN_REPORT_NS - 1;
    assert_int_equal(wait_while_held(2 * SPIN_CLOCK_EVERY + 1), 0);
}

/* A clock that moves restarts the spin count: the clock alone measures the wait then. */
static void test_a_moving_clock_restarts_the_spin_count(void **state)
{
    (void)state;
    cpu_double_now_ns = 1;
    clock_at_pause = SPIN_REPORT_SPINS / 2;
    clock_to = 2;
    assert_int_equal(wait_while_held(SPIN_REPORT_SPINS + 1), 0);
}

static void test_report_comes_once_per_wait(void **state)
{
    (void)state;
    clock_at_pause = SPIN_CLOCK_EVERY;
    clock_to = SPIN_REPORT_NS;
    assert_int_equal(wait_while_held(10 * SPIN_CLOCK_EVERY), 1);
    /* The next wait that lasts is reported again. */
    clock_at_pause = SPIN_CLOCK_EVERY;
    clock_to = 2 * SPIN_REPORT_NS;
    assert_int_equal(wait_while_held(2 * SPIN_CLOCK_EVERY + 1), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lock_saves_and_restores_interrupts, setup),
        cmocka_unit_test_setup(test_nested_locks_restore_in_turn, setup),
        cmocka_unit_test_setup(test_held_is_per_cpu, setup),
        cmocka_unit_test_setup(test_taking_a_held_lock_again_panics, setup),
        cmocka_unit_test_setup(test_letting_go_of_a_lock_held_elsewhere_panics, setup),
        cmocka_unit_test_setup(test_letting_go_of_a_free_lock_panics, setup),
        cmocka_unit_test_setup(test_owner_caller_is_the_caller_of_spin_lock, setup),
        cmocka_unit_test_setup(test_no_report_for_a_short_wait, setup),
        cmocka_unit_test_setup(test_report_at_the_spin_bound, setup),
        cmocka_unit_test_setup(test_no_report_one_below_the_spin_bound, setup),
        cmocka_unit_test_setup(test_report_at_the_time_bound, setup),
        cmocka_unit_test_setup(test_no_report_one_below_the_time_bound, setup),
        cmocka_unit_test_setup(test_a_moving_clock_restarts_the_spin_count, setup),
        cmocka_unit_test_setup(test_report_comes_once_per_wait, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
