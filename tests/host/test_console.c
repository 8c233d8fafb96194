/*
 * Host tests of the console layer (kernel/console.c): a print that interrupts another one (an NMI
 * arriving in the middle of kprintf) comes out after it, whole, never inside it; and a print holds
 * interrupts off, so that an interrupt handler's print cannot even start inside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/kprintf.h"
#include "tests/host/cpu_double.h"

/* The CPU's interrupt flag is played by tests/host/cpu_double.c: on unless a test or the lock
 * turned it off. */
static bool written_with_interrupts_on;

static char output[8192];
static size_t output_length;
static int colour_changes;

/* The "NMI": run once, from inside the console's write, when the output reaches trigger_at. */
static void (*interrupt)(void);
static size_t trigger_at;

static void record_write(struct console *con, const char *text, size_t len)
{
    (void)con;
    if (cpu_double_interrupts_on())
        written_with_interrupts_on = true;
    assert_true(output_length + len < sizeof(output));
    memcpy(output + output_length, text, len);
    output_length += len;
    output[output_length] = '\0';
    if (interrupt && output_length >= trigger_at) {
        void (*handler)(void) = interrupt;
        interrupt = NULL;
        handler();
    }
}

static void record_colour(struct console *con, enum console_colour fg, enum console_colour bg)
{
    (void)con, (void)fg, (void)bg;
    colour_changes++;
}

static struct console recorder = {
    .name = "recorder", .write = record_write, .set_colour = record_colour};

static int setup(void **state)
{
    (void)state;
    static bool registered;
    if (!registered)
        console_register(&recorder);
    registered = true;
    output_length = 0;
    output[0] = '\0';
    colour_changes = 0;
    interrupt = NULL;
    cpu_double_set_interrupts(true);
    written_with_interrupts_on = false;
    return 0;
}

static void nmi_prints_a_line(void)
{
    console_set_colour(COLOUR_YELLOW, COLOUR_BLACK);
    kprintf("NMI at %s\n", "somewhere");
    console_set_colour(COLOUR_LIGHT_GREY, COLOUR_BLACK);
}

static void test_interrupting_print_comes_after(void **state)
{
    (void)state;
    interrupt = nmi_prints_a_line;
    trigger_at = 1; /* right after the first piece of the interrupted print */
    kprintf("value %d of %s\n", 42, "the answer");
    assert_string_equal(output, "value 42 of the answer\nNMI at somewhere\n");
    /* Its colours would have coloured the middle of the other line: they are left out. */
    assert_int_equal(colour_changes, 0);
}

static void test_print_without_interruption(void **state)
{
    (void)state;
    kprintf("a %s\n", "line");
    console_set_colour(COLOUR_WHITE, COLOUR_RED);
    kprintf("another\n");
    assert_string_equal(output, "a line\nanother\n");
    assert_int_equal(colour_changes, 1);
}

/* An interruption while queued text is being written out: its text comes out too, in order. */
static void second_nmi(void)
{
    kprintf("[second]");
}

static void first_nmi(void)
{
    kprintf("[first]");
    interrupt = second_nmi;
    trigger_at = strlen("outer\n[fi"); /* fires while "[first]" is being written out */
}

static void test_interruption_during_the_flush(void **state)
{
    (void)state;
    interrupt = first_nmi;
    trigger_at = 1;
    kprintf("outer\n");
    assert_string_equal(output, "outer\n[first][second]");
    kprintf("next\n");
    assert_string_equal(output, "outer\n[first][second]next\n");
}

/* More than the queue holds: what fits comes out, then a note of how much was lost. */
static void flood(void)
{
    for (int i = 0; i < 1000; i++)
        kprintf("0123456789");
}

static void test_queue_overflow_is_noted(void **state)
{
    (void)state;
    interrupt = flood;
    trigger_at = 1;
    kprintf("x\n");
    assert_non_null(strstr(output, "x\n0123456789"));
    assert_non_null(strstr(output, " bytes of console output lost)\n"));
    assert_true(output_length < 10000);
}

/* Exactly what the queue holds comes out whole; one byte more is one byte lost. */
static size_t nested_bytes;

static void print_nested_bytes(void)
{
    for (size_t i = 0; i < nested_bytes; i++)
        kprintf("%c", (char)('a' + i % 26));
}

static void test_queue_boundary(void **state)
{
    (void)state;
    nested_bytes = CONSOLE_QUEUE_SIZE;
    interrupt = print_nested_bytes;
    trigger_at = 1;
    kprintf("x\n");
    assert_int_equal(output_length, 2 + CONSOLE_QUEUE_SIZE);
    assert_null(strstr(output, "lost"));

    setup(state);
    nested_bytes = CONSOLE_QUEUE_SIZE + 1;
    interrupt = print_nested_bytes;
    trigger_at = 1;
    kprintf("x\n");
    assert_non_null(strstr(output, "\n(1 bytes of console output lost)\n"));
}

/* A panic inside a print (a console that faults) must still be heard: the lock is let go. */
static void test_reset_after_a_print_that_never_ends(void **state)
{
    (void)state;
    console_lock();
    kprintf("queued behind a print that will never end\n");
    assert_int_equal(output_length, 0);
    console_lock_reset();
    kprintf("panic\n");
    assert_non_null(strstr(output, "panic\n"));
}

static void test_print_holds_interrupts_off(void **state)
{
    (void)state;
    kprintf("a line %d\n", 1);
    assert_string_equal(output, "a line 1\n");
    assert_false(written_with_interrupts_on);
    assert_true(cpu_double_interrupts_on()); /* as they were before the print */
}

static void test_print_with_interrupts_off_leaves_them_off(void **state)
{
    (void)state;
    cpu_double_set_interrupts(false); /* as in an interrupt handler */
    kprintf("from a handler\n");
    assert_false(cpu_double_interrupts_on());
}

static bool nested_left_interrupts_on;

static void print_nested_and_check(void)
{
    kprintf("[nested]");
    nested_left_interrupts_on = cpu_double_interrupts_on();
}

/* The nested print (an NMI's) must not turn interrupts on inside the outer one; the outer print,
 * flushing the queue after, still writes with them off and turns them back on at its very end. */
static void test_nested_print_keeps_interrupts_off(void **state)
{
    (void)state;
    nested_left_interrupts_on = true;
    interrupt = print_nested_and_check;
    trigger_at = 1;
    kprintf("outer\n");
    assert_string_equal(output, "outer\n[nested]");
    assert_false(nested_left_interrupts_on);
    assert_false(written_with_interrupts_on);
    assert_true(cpu_double_interrupts_on());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_print_without_interruption, setup),
        cmocka_unit_test_setup(test_interrupting_print_comes_after, setup),
        cmocka_unit_test_setup(test_interruption_during_the_flush, setup),
        cmocka_unit_test_setup(test_queue_overflow_is_noted, setup),
        cmocka_unit_test_setup(test_queue_boundary, setup),
        cmocka_unit_test_setup(test_reset_after_a_print_that_never_ends, setup),
        cmocka_unit_test_setup(test_print_holds_interrupts_off, setup),
        cmocka_unit_test_setup(test_print_with_interrupts_off_leaves_them_off, setup),
        cmocka_unit_test_setup(test_nested_print_keeps_interrupts_off, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
