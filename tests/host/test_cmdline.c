/* Host tests of kernel/cmdline.c: splitting the command line and handing values to options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cmdline.h"
#include "tests/host/console_stub.h"

/* What the options below were given, in order, as "name=value" or "name" entries. */
static char calls[512];

static void record(const char *name, const char *value)
{
    strcat(calls, calls[0] ? " " : "");
    strcat(calls, name);
    if (value) {
        strcat(calls, "=");
        strcat(calls, value);
    }
}

/* keel.flag takes no value. */
static bool set_flag(const char *value)
{
    if (value)
        return false;
    record("flag", value);
    return true;
}

/* keel.kind takes "a" or "b", or "" (empty). */
static bool set_kind(const char *value)
{
    if (!value || (strcmp(value, "a") != 0 && strcmp(value, "b") != 0 && value[0] != '\0'))
        return false;
    record("kind", value);
    return true;
}

/* keel.any takes anything, even nothing. */
static bool set_any(const char *value)
{
    record("any", value);
    return true;
}

static const struct cmdline_option options[] = {
    {"flag", set_flag, "takes no value"},
    {"kind", set_kind, "takes a or b"},
    {"flagged", set_any, "anything"},
    {"any", set_any, "anything"},
};

static int reset(void **state)
{
    (void)state;
    calls[0] = '\0';
    console_stub_reset();
    return 0;
}

static size_t parse(const char *cmdline)
{
    return cmdline_parse(cmdline, options, sizeof(options) / sizeof(options[0]));
}

static void test_no_command_line_is_fine(void **state)
{
    (void)state;
    assert_int_equal(parse(NULL), 0);
    assert_int_equal(parse(""), 0);
    assert_int_equal(parse("   \t "), 0);
    assert_string_equal(calls, "");
    assert_string_equal(console_stub_output, "");
}

static void test_options_get_their_values_in_order(void **state)
{
    (void)state;
    assert_int_equal(parse("keel.kind=a keel.flag\tkeel.any=x=y  keel.kind=b keel.any"), 0);
    assert_string_equal(calls, "kind=a flag any=x=y kind=b any");
    assert_string_equal(console_stub_output, "");
}

static void test_empty_value_is_not_a_missing_value(void **state)
{
    (void)state;
    assert_int_equal(parse("keel.kind= keel.any="), 0);
    assert_string_equal(calls, "kind= any=");
}

static void test_names_match_whole(void **state)
{
    (void)state;
    /* "flag" must not match "flagged", nor "flagged" "flag". */
    assert_int_equal(parse("keel.flagged=1 keel.fla keel.flagx"), 2);
    assert_string_equal(calls, "any=1");
    assert_non_null(strstr(console_stub_output, "unknown option 'keel.fla'"));
    assert_non_null(strstr(console_stub_output, "unknown option 'keel.flagx'"));
}

static void test_unknown_and_foreign_words_are_reported_and_ignored(void **state)
{
    (void)state;
    assert_int_equal(parse("quiet keel.nope=3 keel. keel.flag"), 3);
    assert_string_equal(calls, "flag");
    assert_non_null(strstr(console_stub_output, "ignoring 'quiet'"));
    assert_non_null(strstr(console_stub_output, "unknown option 'keel.nope=3'"));
    assert_non_null(strstr(console_stub_output, "ignoring 'keel.'"));
}

static void test_bad_values_are_reported_with_the_help(void **state)
{
    (void)state;
    assert_int_equal(parse("keel.flag=1 keel.kind=c keel.kind"), 3);
    assert_string_equal(calls, "");
    assert_non_null(
        strstr(console_stub_output, "ignoring 'keel.flag=1': keel.flag takes no value"));
    assert_non_null(strstr(console_stub_output, "ignoring 'keel.kind=c': keel.kind takes a or b"));
    assert_non_null(strstr(console_stub_output, "ignoring 'keel.kind': keel.kind takes a or b"));
}

static void test_overlong_value_is_refused(void **state)
{
    char line[CMDLINE_VALUE_MAX + 32];

    (void)state;
    strcpy(line, "keel.any=");
    memset(line + strlen(line), 'v', CMDLINE_VALUE_MAX);
    line[strlen("keel.any=") + CMDLINE_VALUE_MAX] = '\0';
    assert_int_equal(parse(line), 0); /* exactly the limit: accepted */
    strcat(line, "w");
    assert_int_equal(parse(line), 1);
    assert_non_null(strstr(console_stub_output, "longer than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_command_line_is_fine, reset),
        cmocka_unit_test_setup(test_options_get_their_values_in_order, reset),
        cmocka_unit_test_setup(test_empty_value_is_not_a_missing_value, reset),
        cmocka_unit_test_setup(test_names_match_whole, reset),
        cmocka_unit_test_setup(test_unknown_and_foreign_words_are_reported_and_ignored, reset),
        cmocka_unit_test_setup(test_bad_values_are_reported_with_the_help, reset),
        cmocka_unit_test_setup(test_overlong_value_is_refused, reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
