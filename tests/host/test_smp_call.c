/*
 * Host tests of smp_call (kernel/smp_call.c) with threads standing in for CPUs: each thread has
 * its struct cpu (this_cpu() is thread-local) and runs smp_call_run_pending when its played IPI
 * arrives. The main thread is CPU 0. What is checked: where a call runs, the calls refused, a
 * CPU that never answers (reported, after the bound and not before, and its call taken back),
 * one that runs long (waited for, said once), and two CPUs that call each other.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/smp_call.h"
#include "kernel/symbols.h"
#include "tests/host/console_stub.h"

#define CPUS 4 /* CPU 0 (the main thread) and three played ones */

static _Thread_local struct cpu *current;
static pthread_t threads[CPUS];
static bool ipi_pending[CPUS];
static unsigned ipis_sent[CPUS + 1];
static bool deaf[CPUS]; /* a CPU with its interrupts off for good: it never takes an IPI */
static bool stopping;

struct cpu *this_cpu(void)
{
    return current;
}

bool arch_send_ipi(const struct cpu *cpu, enum arch_ipi ipi)
{
    if (ipi != ARCH_IPI_SMP_CALL)
        abort(); /* smp_call sends nothing else; any thread may send */
    __atomic_fetch_add(&ipis_sent[cpu->index], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&ipi_pending[cpu->index], true, __ATOMIC_RELEASE);
    return true;
}

/* One caller's spinlock at a time per thread; interrupts are played by the IPI flag alone. */
unsigned long arch_irq_save(void)
{
    return 0;
}

void arch_irq_restore(unsigned long flags)
{
    (void)flags;
}

void arch_spin_pause(void)
{
    sched_yield(); /* two host cores for four played CPUs: give the others a turn */
}

uint64_t clock_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void *run_cpu(void *cpu)
{
    current = cpu;
    while (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
        unsigned self = current->index;
        if (!__atomic_load_n(&deaf[self], __ATOMIC_ACQUIRE) &&
            __atomic_exchange_n(&ipi_pending[self], false, __ATOMIC_ACQ_REL))
            smp_call_run_pending();
        else
            sched_yield();
    }
    return NULL;
}

/* How often each CPU ran mark. */
static unsigned marks[CPUS];

static void mark(void *unused)
{
    (void)unused;
    __atomic_fetch_add(&marks[this_cpu()->index], 1, __ATOMIC_RELAXED);
}

static void sleep_ms_host(unsigned ms)
{
    struct timespec span = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&span, NULL);
}

/* Runs past the smp_call bound before it returns. */
static void slow_mark(void *unused)
{
    sleep_ms_host(SMP_CALL_TIMEOUT_MS + 300);
    mark(unused);
}

/*
 * On CPU 1: calls CPU 2, which calls CPU 1 back while CPU 1 still waits for it. (cmocka's
 * asserts belong to the main thread: the played CPUs keep their results for it.)
 */
static bool inner_call_ok, outer_call_ok;

static void mark_cpu_1(void *unused)
{
    inner_call_ok = smp_call(1, mark, unused);
}

static void call_cpu_2_which_calls_back(void *unused)
{
    outer_call_ok = smp_call(2, mark_cpu_1, unused);
}

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset)
{
    *offset = 0;
    if (addr == (uintptr_t)mark)
        return "mark";
    if (addr == (uintptr_t)slow_mark)
        return "slow_mark";
    return NULL;
}

static int start_cpus(void **state)
{
    (void)state;
    current = cpu_get(0);
    for (unsigned i = 1; i < CPUS; i++) {
        struct cpu *cpu = cpu_add(i);
        cpu->online = true;
        assert_int_equal(pthread_create(&threads[i], NULL, run_cpu, cpu), 0);
    }
    return 0;
}

static int stop_cpus(void **state)
{
    (void)state;
    __atomic_store_n(&stopping, true, __ATOMIC_RELEASE);
    for (unsigned i = 1; i < CPUS; i++)
        pthread_join(threads[i], NULL);
    return 0;
}

static void reset(void)
{
    memset(marks, 0, sizeof(marks));
    memset(ipis_sent, 0, sizeof(ipis_sent));
    console_stub_reset();
}

static void calls_run_on_the_cpu_named_and_no_other(void **state)
{
    (void)state;
    for (unsigned target = 0; target < CPUS; target++) {
        reset();
        assert_true(smp_call(target, mark, NULL));
        for (unsigned i = 0; i < CPUS; i++)
            assert_int_equal(marks[i], i == target);
    }
}

static void a_call_to_this_cpu_is_a_plain_call(void **state)
{
    (void)state;
    reset();
    assert_true(smp_call(0, mark, NULL));
    assert_int_equal(marks[0], 1);
    assert_int_equal(ipis_sent[0], 0);
}

/* The last CPU there is, one past it, and a CPU that exists but is not online. */
static void calls_past_the_last_cpu_or_to_one_offline_are_refused(void **state)
{
    (void)state;
    reset();
    assert_true(smp_call(CPUS - 1, mark, NULL));
    assert_false(smp_call(CPUS, mark, NULL));
    assert_non_null(cpu_add(CPUS)); /* never online */
    assert_false(smp_call(CPUS, mark, NULL));
    assert_int_equal(marks[CPUS - 1], 1);
    assert_int_equal(ipis_sent[CPUS - 1], 1);
    assert_int_equal(ipis_sent[CPUS], 0);
}

static void others_leaves_this_cpu_out_and_all_includes_it(void **state)
{
    (void)state;
    reset();
    assert_true(smp_call_others(mark, NULL));
    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(marks[i], i != 0);
    reset();
    assert_true(smp_call_all(mark, NULL));
    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(marks[i], 1);
}

/* Not before the bound, reported by name after it, and the call never runs there later. */
static void a_cpu_that_never_answers_is_named_and_its_call_taken_back(void **state)
{
    (void)state;
    reset();
    __atomic_store_n(&deaf[3], true, __ATOMIC_RELEASE);
    uint64_t start = clock_ns();
    assert_false(smp_call(3, mark, NULL));
    uint64_t waited_ms = (clock_ns() - start) / 1000000;
    assert_true(waited_ms >= SMP_CALL_TIMEOUT_MS);
    assert_true(waited_ms < 3 * SMP_CALL_TIMEOUT_MS);
    assert_non_null(strstr(console_stub_output,
                           "smp_call: CPU 3 did not take the call to mark in 1000 ms; "
                           "not run there\n"));

    __atomic_store_n(&deaf[3], false, __ATOMIC_RELEASE); /* the IPI is still pending */
    sleep_ms_host(100);
    assert_int_equal(marks[3], 0);
    assert_true(smp_call(3, mark, NULL)); /* and the queue still works */
    assert_int_equal(marks[3], 1);
}

static void a_cpu_that_runs_long_is_waited_for_and_named_once(void **state)
{
    (void)state;
    reset();
    assert_true(smp_call(2, slow_mark, NULL));
    assert_int_equal(marks[2], 1);
    const char *line = "smp_call: CPU 2 still runs slow_mark after 1000 ms; waiting for it\n";
    const char *first = strstr(console_stub_output, line);
    assert_non_null(first);
    assert_null(strstr(first + 1, line));
}

/* Without the waiting CPU running its own queue, both would wait until the bound. */
static void two_cpus_that_call_each_other_both_go_on(void **state)
{
    (void)state;
    reset();
    uint64_t start = clock_ns();
    assert_true(smp_call(1, call_cpu_2_which_calls_back, NULL));
    assert_true(outer_call_ok);
    assert_true(inner_call_ok);
    assert_int_equal(marks[1], 1);
    assert_true((clock_ns() - start) / 1000000 < SMP_CALL_TIMEOUT_MS);
    assert_int_equal(console_stub_length, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calls_run_on_the_cpu_named_and_no_other),
        cmocka_unit_test(a_call_to_this_cpu_is_a_plain_call),
        cmocka_unit_test(others_leaves_this_cpu_out_and_all_includes_it),
        cmocka_unit_test(a_cpu_that_never_answers_is_named_and_its_call_taken_back),
        cmocka_unit_test(a_cpu_that_runs_long_is_waited_for_and_named_once),
        cmocka_unit_test(two_cpus_that_call_each_other_both_go_on),
        cmocka_unit_test(calls_past_the_last_cpu_or_to_one_offline_are_refused),
    };
    return cmocka_run_group_tests(tests, start_cpus, stop_cpus);
}
