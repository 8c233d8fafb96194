/*
 * Host tests of monitor_execute (kernel/monitor.c): how a line picks its command and what the
 * command gets as arguments, over a table of recording commands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/arch.h"
#include "kernel/input.h"
#include "kernel/monitor.h"
#include "kernel/monitor_line.h"
#include "tests/host/console_stub.h"

/* What monitor_run needs from the machine; the tests never call monitor_run. */
int input_pop(void)
{
    return -1;
}
void arch_interrupts_enable(void)
{
}
void arch_wait_for_interrupt(void)
{
}
unsigned long arch_irq_save(void)
{
    return 0;
}
void arch_irq_restore(unsigned long flags)
{
    (void)flags;
}

static const char *ran;
static char arguments_seen[MONITOR_LINE_MAX + 1];
static int runs;

static void record(const char *name, const char *arguments)
{
    ran = name;
    assert_non_null(arguments);
    assert_true(strlen(arguments) <= MONITOR_LINE_MAX);
    strcpy(arguments_seen, arguments);
    runs++;
}

static void run_up(const char *arguments)
{
    record("up", arguments);
}

static void run_uptime(const char *arguments)
{
    record("uptime", arguments);
}

static void run_crash(const char *arguments)
{
    record("crash", arguments);
}

const struct monitor_command monitor_commands[] = {
    {"uptime", "", "", run_uptime},
    {"up", "", "", run_up},
    {"crash", "<kind>", "", run_crash},
};
const size_t monitor_command_count = sizeof(monitor_commands) / sizeof(monitor_commands[0]);

static int set_up(void **state)
{
    (void)state;
    ran = NULL;
    runs = 0;
    arguments_seen[0] = '\0';
    console_stub_reset();
    return 0;
}

static void execute(const char *line)
{
    monitor_execute(monitor_commands, monitor_command_count, line);
}

static void test_the_whole_first_word_names_the_command(void **state)
{
    (void)state;
    execute("up");
    assert_string_equal(ran, "up");
    execute("uptime");
    assert_string_equal(ran, "uptime");
    assert_int_equal(runs, 2);
    assert_string_equal(console_stub_output, "");
}

static void test_a_prefix_or_a_longer_word_is_unknown(void **state)
{
    (void)state;
    execute("upt");
    execute("uptimes");
    execute("u");
    assert_int_equal(runs, 0);
    assert_string_equal(console_stub_output, "unknown command: upt (try help)\n"
                                             "unknown command: uptimes (try help)\n"
                                             "unknown command: u (try help)\n");
}

static void test_names_are_case_sensitive(void **state)
{
    (void)state;
    execute("UPTIME");
    assert_int_equal(runs, 0);
    assert_string_equal(console_stub_output, "unknown command: UPTIME (try help)\n");
}

static void test_the_unknown_word_is_named_alone(void **state)
{
    (void)state;
    execute("  frobnicate the widget ");
    assert_string_equal(console_stub_output, "unknown command: frobnicate (try help)\n");
}

static void test_arguments_come_trimmed(void **state)
{
    (void)state;
    execute("   crash   pf   ");
    assert_string_equal(ran, "crash");
    assert_string_equal(arguments_seen, "pf");
    execute("crash de  ud");
    assert_string_equal(arguments_seen, "de  ud");
}

static void test_a_command_without_arguments_refuses_them(void **state)
{
    (void)state;
    execute("uptime now");
    execute("up  x ");
    assert_int_equal(runs, 0);
    assert_string_equal(console_stub_output, "uptime takes no arguments\n"
                                             "up takes no arguments\n");
    execute("uptime   ");
    assert_string_equal(ran, "uptime");
}

static void test_no_arguments_are_an_empty_string(void **state)
{
    (void)state;
    execute("crash");
    assert_string_equal(arguments_seen, "");
    execute("crash    ");
    assert_string_equal(arguments_seen, "");
    assert_int_equal(runs, 2);
}

static void test_an_empty_or_blank_line_does_nothing(void **state)
{
    (void)state;
    execute("");
    execute("      ");
    assert_int_equal(runs, 0);
    assert_string_equal(console_stub_output, "");
}

static void test_a_line_of_the_longest_length_keeps_its_arguments(void **state)
{
    char line[MONITOR_LINE_MAX + 1];

    (void)state;
    memset(line, 'k', MONITOR_LINE_MAX);
    memcpy(line, "crash ", 6);
    line[MONITOR_LINE_MAX] = '\0';
    execute(line);
    assert_string_equal(ran, "crash");
    assert_int_equal(strlen(arguments_seen), MONITOR_LINE_MAX - 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_the_whole_first_word_names_the_command, set_up),
        cmocka_unit_test_setup(test_a_prefix_or_a_longer_word_is_unknown, set_up),
        cmocka_unit_test_setup(test_names_are_case_sensitive, set_up),
        cmocka_unit_test_setup(test_the_unknown_word_is_named_alone, set_up),
        cmocka_unit_test_setup(test_arguments_come_trimmed, set_up),
        cmocka_unit_test_setup(test_a_command_without_arguments_refuses_them, set_up),
        cmocka_unit_test_setup(test_no_arguments_are_an_empty_string, set_up),
        cmocka_unit_test_setup(test_an_empty_or_blank_line_does_nothing, set_up),
        cmocka_unit_test_setup(test_a_line_of_the_longest_length_keeps_its_arguments, set_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
