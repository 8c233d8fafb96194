/*
 * Host tests of the ticket spinlock (kernel/spinlock.c) with threads standing in for CPUs
 * (tests/host/cpu_double.h gives each its own this_cpu()): counts kept under the lock come out
 * exact, CPUs get the lock in the order they took their tickets, and a CPU that lets go of a lock
 * another CPU holds panics.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "tests/host/cpu_double.h"
#include "tests/host/panic_double.h"

#include "kernel/spinlock.h"
#include "kernel/symbols.h"

#define CPUS       4
#define INCREMENTS 100000

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    (void)addr, (void)offset;
    return NULL;
}

static struct spinlock lock = SPINLOCK_INIT("threads");

struct played_cpu {
    pthread_t thread;
    unsigned index;
    bool interrupts_off_inside; /* every time it held the lock */
    bool interrupts_on_after;
};

static struct played_cpu cpus[CPUS];

static void start(struct played_cpu *cpu, unsigned index, void *(*run)(void *))
{
    cpu->index = index;
    assert_int_equal(pthread_create(&cpu->thread, NULL, run, cpu), 0);
}

static void finish(struct played_cpu *cpu)
{
    assert_int_equal(pthread_join(cpu->thread, NULL), 0);
}

/* ---- Exact totals: a plain read-modify-write under the lock loses no update ---- */

static uint64_t counter;
static int inside; /* CPUs in the critical section at once: never more than one */
static bool overlapped;

static void *increment(void *arg)
{
    struct played_cpu *cpu = arg;

    cpu_double_become(cpu->index);
    cpu->interrupts_off_inside = true;
    for (int i = 0; i < INCREMENTS; i++) {
        spin_lock(&lock);
        if (__atomic_add_fetch(&inside, 1, __ATOMIC_RELAXED) != 1)
            overlapped = true;
        if (cpu_double_interrupts_on())
            cpu->interrupts_off_inside = false;
        /* Two steps with a gap between, so that a lock which let two in would lose counts. */
        uint64_t value = __atomic_load_n(&counter, __ATOMIC_RELAXED);
        __atomic_store_n(&counter, value + 1, __ATOMIC_RELAXED);
        __atomic_sub_fetch(&inside, 1, __ATOMIC_RELAXED);
        spin_unlock(&lock);
    }
    cpu->interrupts_on_after = cpu_double_interrupts_on();
    return NULL;
}

static void test_totals_are_exact(void **state)
{
    (void)state;
    counter = 0;
    for (unsigned i = 0; i < CPUS; i++)
        start(&cpus[i], i, increment);
    for (unsigned i = 0; i < CPUS; i++)
        finish(&cpus[i]);
    assert_int_equal(counter, (uint64_t)CPUS * INCREMENTS);
    assert_false(overlapped);
    for (unsigned i = 0; i < CPUS; i++) {
        assert_true(cpus[i].interrupts_off_inside);
        assert_true(cpus[i].interrupts_on_after);
    }
    assert_int_equal(lock.next_ticket, lock.serving);
    assert_int_equal(lock.owner, -1);
}

/* ---- FIFO: waiters are served in ticket order, whatever the scheduler does ---- */

static unsigned order[CPUS];
static unsigned served;

static void *take_once(void *arg)
{
    struct played_cpu *cpu = arg;

    cpu_double_become(cpu->index);
    spin_lock(&lock);
    order[served++] = cpu->index;
    spin_unlock(&lock);
    return NULL;
}

static void wait_for_tickets(uint32_t tickets)
{
    while (__atomic_load_n(&lock.next_ticket, __ATOMIC_ACQUIRE) != tickets)
        sched_yield();
}

static void test_waiters_are_served_in_ticket_order(void **state)
{
    (void)state;
    /* Several rounds, the waiters lined up in a different order each time. */
    static const unsigned lineups[][CPUS - 1] = {{1, 2, 3}, {3, 2, 1}, {2, 3, 1}, {1, 3, 2}};

    for (size_t round = 0; round < sizeof(lineups) / sizeof(lineups[0]); round++) {
        lock = (struct spinlock)SPINLOCK_INIT("threads");
        served = 0;
        cpu_double_become(0);
        spin_lock(&lock);
        /* Each waiter is started only once the one before it has taken its ticket. */
        for (unsigned i = 0; i < CPUS - 1; i++) {
            start(&cpus[lineups[round][i]], lineups[round][i], take_once);
            wait_for_tickets(i + 2);
        }
        spin_unlock(&lock);
        for (unsigned i = 0; i < CPUS - 1; i++)
            finish(&cpus[lineups[round][i]]);
        assert_int_equal(served, CPUS - 1);
        for (unsigned i = 0; i < CPUS - 1; i++)
            assert_int_equal(order[i], lineups[round][i]);
    }
}

/* ---- A CPU that does not hold the lock cannot let it go ---- */

static bool holding, may_let_go;

static void *hold_until_told(void *arg)
{
    struct played_cpu *cpu = arg;

    cpu_double_become(cpu->index);
    spin_lock(&lock);
    __atomic_store_n(&holding, true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&may_let_go, __ATOMIC_ACQUIRE))
        sched_yield();
    spin_unlock(&lock);
    return NULL;
}

static void test_unlock_by_a_cpu_that_does_not_hold_it_panics(void **state)
{
    (void)state;
    lock = (struct spinlock)SPINLOCK_INIT("threads");
    holding = may_let_go = false;
    start(&cpus[2], 2, hold_until_told);
    while (!__atomic_load_n(&holding, __ATOMIC_ACQUIRE))
        sched_yield();

    cpu_double_become(0);
    expect_panic(spin_unlock(&lock));
    assert_string_equal(panic_message, "spinlock threads: let go by CPU 0, which does not hold it");
    assert_int_equal(lock.owner, 2); /* still CPU 2's, untouched */
    assert_int_equal(lock.serving, 0);

    __atomic_store_n(&may_let_go, true, __ATOMIC_RELEASE);
    finish(&cpus[2]);
    assert_int_equal(lock.serving, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_are_exact),
        cmocka_unit_test(test_waiters_are_served_in_ticket_order),
        cmocka_unit_test(test_unlock_by_a_cpu_that_does_not_hold_it_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
