/* keel.timing (kernel/timing.c): what is kept, what is printed, at the TIMING_STEPS_MAX bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/console_stub.h"

/* The file itself, to reach its state: the option's setter and the steps kept. */
#include "kernel/timing.c" // NOLINT(bugprone-suspicious-include): the statics are under test

uint64_t arch_timestamp(void)
{
    return 0;
}

static size_t lines_starting(const char *prefix)
{
    size_t count = 0;
    for (const char *line = console_stub_output; line && *line; line = strchr(line, '\n')) {
        if (*line == '\n')
            line++;
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            count++;
    }
    return count;
}

static int reset(void **state)
{
    (void)state;
    step_count = 0;
    timing_requested = false;
    console_stub_reset();
    return 0;
}

static void record(size_t count)
{
    for (size_t i = 0; i < count; i++)
        timing_record("step()", 100, 100 + i + 1);
}

static void test_nothing_printed_without_the_option(void **state)
{
    (void)state;
    record(3);
    timing_print_if_requested();
    assert_string_equal(console_stub_output, "");
}

static void test_the_option_takes_no_value(void **state)
{
    (void)state;
    assert_false(set_timing("1"));
    assert_true(set_timing(NULL));
}

static void test_each_step_printed_with_its_cycles(void **state)
{
    (void)state;
    set_timing(NULL);
    timing_record("arch_cpu_init()", 1000, 1234);
    timing_print_if_requested();
    assert_string_equal(console_stub_output, "keel: timing: arch_cpu_init() 234 cycles\n");
}

static void test_exactly_the_maximum_is_all_kept(void **state)
{
    (void)state;
    set_timing(NULL);
    record(TIMING_STEPS_MAX);
    timing_print_if_requested();
    assert_int_equal(lines_starting("keel: timing: step() "), TIMING_STEPS_MAX);
    assert_null(strstr(console_stub_output, "not kept"));
}

static void test_one_past_the_maximum_is_counted(void **state)
{
    (void)state;
    set_timing(NULL);
    record(TIMING_STEPS_MAX + 1);
    timing_print_if_requested();
    assert_int_equal(lines_starting("keel: timing: step() "), TIMING_STEPS_MAX);
    assert_non_null(strstr(console_stub_output, "keel: timing: 1 more steps not kept"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_nothing_printed_without_the_option, reset),
        cmocka_unit_test_setup(test_the_option_takes_no_value, reset),
        cmocka_unit_test_setup(test_each_step_printed_with_its_cycles, reset),
        cmocka_unit_test_setup(test_exactly_the_maximum_is_all_kept, reset),
        cmocka_unit_test_setup(test_one_past_the_maximum_is_counted, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
