/*
 * Host tests of the input queue (kernel/input.c): order, wrap-around, the full queue's last slot
 * and the character past it, and that every access runs with interrupts off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/input.h"
#include "tests/host/console_stub.h"

/* The interrupt flag, played: on at first, as in the monitor's loop. */
static bool interrupts_on = true;
static int saves_outstanding;

unsigned long arch_irq_save(void)
{
    unsigned long flags = interrupts_on;

    interrupts_on = false;
    saves_outstanding++;
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    assert_false(interrupts_on); /* restored inside a save, never twice */
    saves_outstanding--;
    interrupts_on = flags != 0;
}

static const char *keyboard_says = "PS/2 (i8042, scancode set 1 translated)";
static const char *serial_says = "serial COM1";

bool arch_keyboard_init(char *description, size_t size)
{
    snprintf(description, size, "%s", keyboard_says);
    return true;
}

bool arch_serial_input_init(char *description, size_t size)
{
    snprintf(description, size, "%s", serial_says);
    return true;
}

static int empty_queue(void **state)
{
    (void)state;
    while (input_pop() >= 0)
        ;
    return 0;
}

static void check_interrupts_restored(void)
{
    assert_true(interrupts_on);
    assert_int_equal(saves_outstanding, 0);
}

static void test_empty_queue_pops_nothing(void **state)
{
    (void)state;
    assert_int_equal(input_pop(), -1);
    assert_int_equal(input_pop(), -1);
    check_interrupts_restored();
}

static void test_characters_come_out_in_order(void **state)
{
    (void)state;
    input_push('h');
    input_push('i');
    input_push('\n');
    assert_int_equal(input_pop(), 'h');
    input_push('!');
    assert_int_equal(input_pop(), 'i');
    assert_int_equal(input_pop(), '\n');
    assert_int_equal(input_pop(), '!');
    assert_int_equal(input_pop(), -1);
    check_interrupts_restored();
}

/* A char 0xff is a character, not the -1 of an empty queue. */
static void test_high_bytes_are_not_minus_one(void **state)
{
    (void)state;
    input_push((char)0xff);
    input_push((char)0x80);
    assert_int_equal(input_pop(), 0xff);
    assert_int_equal(input_pop(), 0x80);
    assert_int_equal(input_pop(), -1);
}

/* INPUT_QUEUE_SIZE characters fit; the one after them is dropped and counted. */
static void test_full_queue_drops_the_newest(void **state)
{
    (void)state;
    size_t dropped = input_dropped();

    for (size_t i = 0; i < INPUT_QUEUE_SIZE; i++)
        input_push((char)('a' + i % 26));
    assert_int_equal(input_dropped(), dropped);
    input_push('#');
    assert_int_equal(input_dropped(), dropped + 1);
    for (size_t i = 0; i < INPUT_QUEUE_SIZE; i++)
        assert_int_equal(input_pop(), 'a' + i % 26);
    assert_int_equal(input_pop(), -1);
    /* Room again after popping. */
    input_push('z');
    assert_int_equal(input_pop(), 'z');
    check_interrupts_restored();
}

/* The ring's indexes wrap: a queue kept partly full through many rounds keeps the order. */
static void test_wrap_around(void **state)
{
    (void)state;
    int next_in = 0, next_out = 0;
    size_t dropped = input_dropped();

    for (int i = 0; i < INPUT_QUEUE_SIZE - 1; i++)
        input_push((char)(next_in++ % 128));
    for (int round = 0; round < 3 * INPUT_QUEUE_SIZE; round++) {
        input_push((char)(next_in++ % 128));
        assert_int_equal(input_pop(), next_out++ % 128);
    }
    while (next_out < next_in)
        assert_int_equal(input_pop(), next_out++ % 128);
    assert_int_equal(input_pop(), -1);
    assert_int_equal(input_dropped(), dropped);
}

/* Pushed or popped with interrupts already off (from a handler): they stay off. */
static void test_inside_a_handler_interrupts_stay_off(void **state)
{
    (void)state;
    interrupts_on = false;
    input_push('x');
    assert_false(interrupts_on);
    assert_int_equal(input_pop(), 'x');
    assert_false(interrupts_on);
    interrupts_on = true;
}

static void test_facts_line(void **state)
{
    (void)state;
    input_init();
    console_stub_reset();
    input_print_facts();
    assert_string_equal(console_stub_output,
                        "keyboard: PS/2 (i8042, scancode set 1 translated), serial COM1\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_queue_pops_nothing, empty_queue),
        cmocka_unit_test_setup(test_characters_come_out_in_order, empty_queue),
        cmocka_unit_test_setup(test_high_bytes_are_not_minus_one, empty_queue),
        cmocka_unit_test_setup(test_full_queue_drops_the_newest, empty_queue),
        cmocka_unit_test_setup(test_wrap_around, empty_queue),
        cmocka_unit_test_setup(test_inside_a_handler_interrupts_stay_off, empty_queue),
        cmocka_unit_test(test_facts_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
