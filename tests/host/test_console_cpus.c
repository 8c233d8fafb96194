/*
 * Host tests of the console lock (kernel/console.c) across CPUs, with threads standing in for
 * them (tests/host/cpu_double.h): lines printed at once on several CPUs never mix; a CPU that
 * wants to print while another is printing waits for it, and so does an NMI on the waiting CPU
 * (it does not queue behind a print of its own CPU that has not started); a panic's
 * console_lock_reset frees the consoles that another CPU held and never let go.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/console.h"
#include "kernel/kprintf.h"
#include "tests/host/cpu_double.h"

#define CPUS  4
#define LINES 500

static char output[CPUS * LINES * 32 + 4096];
static size_t output_length;

/* Writes a byte at a time, giving the core up now and then, so that a second writer would show. */
static void record_write(struct console *con, const char *text, size_t len)
{
    (void)con;
    for (size_t i = 0; i < len; i++) {
        if (output_length + 1 < sizeof(output))
            output[output_length++] = text[i];
        if (i % 4 == 0)
            sched_yield();
    }
    output[output_length] = '\0';
}

static struct console recorder = {.name = "recorder", .write = record_write};

static int setup(void **state)
{
    (void)state;
    static bool registered;
    if (!registered)
        console_register(&recorder);
    registered = true;
    output_length = 0;
    output[0] = '\0';
    cpu_double_become(0);
    cpu_double_on_pause = NULL;
    return 0;
}

/* ---- Lines printed at once on several CPUs come out whole ---- */

static void *print_lines(void *arg)
{
    unsigned cpu = (unsigned)(uintptr_t)arg;

    cpu_double_become(cpu);
    for (unsigned line = 0; line < LINES; line++)
        kprintf("cpu %u line %u %s\n", cpu, line, "end");
    return NULL;
}

static void test_lines_from_several_cpus_do_not_mix(void **state)
{
    (void)state;
    pthread_t threads[CPUS];
    unsigned next_line[CPUS] = {0};

    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, print_lines, (void *)(uintptr_t)i), 0);
    for (unsigned i = 0; i < CPUS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);

    unsigned lines = 0;
    for (char *line = output; *line; lines++) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        *end = '\0';
        assert_memory_equal(line, "cpu ", 4);
        unsigned long cpu = strtoul(line + 4, NULL, 10);
        assert_true(cpu < CPUS);
        /* Whole, and each CPU's lines in its own order. */
        char expected[64];
        snprintf(expected, sizeof(expected), "cpu %lu line %u end", cpu, next_line[cpu]++);
        assert_string_equal(line, expected);
        line = end + 1;
    }
    assert_int_equal(lines, CPUS * LINES);
}

/* ---- A CPU that wants to print waits for the one printing ---- */

static bool main_waiting, may_finish, holder_ready;

static void note_waiting(void)
{
    __atomic_store_n(&main_waiting, true, __ATOMIC_RELEASE);
    sched_yield();
}

static void wait_for(bool *flag)
{
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
        sched_yield();
}

/* CPU 1, in the middle of a print: it starts, lets the test go on, and ends when told. */
static void *print_slowly(void *arg)
{
    (void)arg;
    cpu_double_become(1);
    console_lock();
    console_write("cpu 1 begins ", strlen("cpu 1 begins "));
    __atomic_store_n(&holder_ready, true, __ATOMIC_RELEASE);
    wait_for(&may_finish);
    console_write("and ends\n", strlen("and ends\n"));
    console_unlock();
    return NULL;
}

static void hold_on_cpu1(pthread_t *thread)
{
    main_waiting = may_finish = holder_ready = false;
    assert_int_equal(pthread_create(thread, NULL, print_slowly, NULL), 0);
    wait_for(&holder_ready);
}

static void *let_cpu1_finish_once_main_waits(void *arg)
{
    (void)arg;
    wait_for(&main_waiting);
    __atomic_store_n(&may_finish, true, __ATOMIC_RELEASE);
    return NULL;
}

static void test_another_cpu_waits_for_the_print(void **state)
{
    (void)state;
    pthread_t holder, releaser;

    hold_on_cpu1(&holder);
    assert_int_equal(pthread_create(&releaser, NULL, let_cpu1_finish_once_main_waits, NULL), 0);
    cpu_double_on_pause = note_waiting;
    kprintf("cpu 0 prints\n");
    cpu_double_on_pause = NULL;
    assert_int_equal(pthread_join(holder, NULL), 0);
    assert_int_equal(pthread_join(releaser, NULL), 0);
    assert_true(main_waiting);
    assert_string_equal(output, "cpu 1 begins and ends\ncpu 0 prints\n");
}

/* An NMI on CPU 0 while it waits: it waits too, and prints before CPU 0's own print, whole. */
static bool nmi_done;

static void nmi_while_waiting(void)
{
    if (nmi_done)
        return;
    nmi_done = true;
    note_waiting();
    kprintf("[nmi on cpu 0]\n");
}

static void test_nmi_on_a_waiting_cpu_waits_its_turn(void **state)
{
    (void)state;
    pthread_t holder, releaser;

    nmi_done = false;
    hold_on_cpu1(&holder);
    assert_int_equal(pthread_create(&releaser, NULL, let_cpu1_finish_once_main_waits, NULL), 0);
    cpu_double_on_pause = nmi_while_waiting;
    kprintf("cpu 0 prints\n");
    cpu_double_on_pause = NULL;
    assert_int_equal(pthread_join(holder, NULL), 0);
    assert_int_equal(pthread_join(releaser, NULL), 0);
    assert_string_equal(output, "cpu 1 begins and ends\n[nmi on cpu 0]\ncpu 0 prints\n");
}

/* ---- A panic is heard even when another CPU holds the consoles and never lets go ---- */

static int pauses;

static void count_pause(void)
{
    pauses++;
}

static void test_reset_frees_a_lock_another_cpu_holds(void **state)
{
    (void)state;
    pthread_t holder;

    hold_on_cpu1(&holder); /* CPU 1 stops mid-print (as an NMI would stop it) */
    pauses = 0;
    cpu_double_on_pause = count_pause;
    console_lock_reset();
    kprintf("KERNEL PANIC: on cpu 0\n");
    cpu_double_on_pause = NULL;
    assert_int_equal(pauses, 0); /* it did not wait */
    assert_string_equal(output, "cpu 1 begins KERNEL PANIC: on cpu 0\n");

    /* Let the played CPU 1 end (a real one would stay halted), then free the lock again. */
    __atomic_store_n(&may_finish, true, __ATOMIC_RELEASE);
    assert_int_equal(pthread_join(holder, NULL), 0);
    console_lock_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lines_from_several_cpus_do_not_mix, setup),
        cmocka_unit_test_setup(test_another_cpu_waits_for_the_print, setup),
        cmocka_unit_test_setup(test_nmi_on_a_waiting_cpu_waits_its_turn, setup),
        cmocka_unit_test_setup(test_reset_frees_a_lock_another_cpu_holds, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
