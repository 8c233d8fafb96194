/*
 * Boundary cases of the command-line parser: every whitespace kind between words, words at the
 * very start and end, the bare prefix "keel.", and values of exactly the longest allowed length
 * and one more, read from a command line malloc'd to its exact size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cmdline.h"
#include "tests/host/console_stub.h"

static int seen_a, seen_b;
static char value_seen[CMDLINE_VALUE_MAX + 2];

static bool set_a(const char *value)
{
    seen_a++;
    return value == NULL;
}

static bool set_b(const char *value)
{
    seen_b++;
    if (value)
        strcpy(value_seen, value);
    return true;
}

static const struct cmdline_option options[] = {
    {"a", set_a, "takes no value"},
    {"b", set_b, "anything"},
};

/* Parses text from a block of exactly strlen + 1 bytes. */
static size_t parse(const char *text)
{
    size_t len = strlen(text) + 1;
    char *copy = malloc(len);

    assert_non_null(copy);
    memcpy(copy, text, len);
    size_t ignored = cmdline_parse(copy, options, 2);
    free(copy);
    return ignored;
}

static int reset(void **state)
{
    (void)state;
    seen_a = seen_b = 0;
    value_seen[0] = '\0';
    console_stub_reset();
    return 0;
}

static void test_every_whitespace_kind_separates_words(void **state)
{
    static const char *const separators[] = {" ", "\t", "\n", "\r", "\r\n", " \t\n\r"};

    (void)state;
    for (size_t i = 0; i < sizeof(separators) / sizeof(separators[0]); i++) {
        char line[64];

        reset(NULL);
        snprintf(line, sizeof(line), "%skeel.a%skeel.b=x%s", separators[i], separators[i],
                 separators[i]);
        assert_int_equal(parse(line), 0);
        assert_int_equal(seen_a, 1);
        assert_int_equal(seen_b, 1);
        assert_string_equal(value_seen, "x");
        assert_string_equal(console_stub_output, "");
    }
}

/* Other control characters are part of a word, not separators. */
static void test_other_characters_do_not_separate(void **state)
{
    (void)state;
    assert_int_equal(parse("keel.a\vkeel.b"), 1);
    assert_int_equal(parse("keel.a\fkeel.b"), 1);
    assert_int_equal(seen_a + seen_b, 0);
}

static void test_words_at_the_very_edges(void **state)
{
    (void)state;
    assert_int_equal(parse("keel.a"), 0);
    assert_int_equal(seen_a, 1);
    assert_int_equal(parse("keel.b=end"), 0);
    assert_string_equal(value_seen, "end");
}

/* "keel." alone is no option; "keel.a" (one character more) is. */
static void test_bare_prefix(void **state)
{
    (void)state;
    assert_int_equal(parse("keel."), 1);
    assert_non_null(strstr(console_stub_output, "ignoring 'keel.' on the command line"));
    assert_int_equal(parse("keel"), 1);
    assert_int_equal(parse("keel.="), 1);
    assert_int_equal(seen_a + seen_b, 0);
}

static void test_value_of_exactly_the_longest_length(void **state)
{
    char line[16 + CMDLINE_VALUE_MAX];

    (void)state;
    strcpy(line, "keel.b=");
    memset(line + 7, 'v', CMDLINE_VALUE_MAX);
    line[7 + CMDLINE_VALUE_MAX] = '\0';
    assert_int_equal(parse(line), 0);
    assert_int_equal(strlen(value_seen), CMDLINE_VALUE_MAX);
    strcat(line, "w");
    assert_int_equal(parse(line), 1);
    assert_int_equal(seen_b, 1);
    assert_non_null(strstr(console_stub_output, "longer than 64 characters"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_whitespace_kind_separates_words, reset),
        cmocka_unit_test_setup(test_other_characters_do_not_separate, reset),
        cmocka_unit_test_setup(test_words_at_the_very_edges, reset),
        cmocka_unit_test_setup(test_bare_prefix, reset),
        cmocka_unit_test_setup(test_value_of_exactly_the_longest_length, reset),
    };

    return cmocka_run_group_tests_name("command line bounds", tests, NULL, NULL);
}
