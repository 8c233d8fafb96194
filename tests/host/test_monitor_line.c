/* Host tests of kernel/monitor_line.c, the monitor's line editor, fed key by key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/monitor_line.h"

/* Everything the editor echoed, as a terminal would receive it. */
static char echoed[4096];
static size_t echoed_length;

static void record_echo(const char *text, size_t length)
{
    assert_true(echoed_length + length < sizeof(echoed));
    memcpy(echoed + echoed_length, text, length);
    echoed_length += length;
    echoed[echoed_length] = '\0';
}

static struct monitor_line line;

static int set_up(void **state)
{
    (void)state;
    echoed_length = 0;
    echoed[0] = '\0';
    monitor_line_init(&line, record_echo);
    return 0;
}

/* Feeds every character of keys but the last, each of which must leave the line being edited. */
static enum monitor_line_status type(const char *keys)
{
    size_t n = strlen(keys);

    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(monitor_line_feed(&line, keys[i]), MONITOR_LINE_EDITING);
    return monitor_line_feed(&line, keys[n - 1]);
}

/* count copies of c, then '\n'. */
static const char *repeated(char c, size_t count)
{
    static char keys[MONITOR_LINE_MAX * 2 + 2];

    assert_true(count + 2 <= sizeof(keys));
    memset(keys, c, count);
    keys[count] = '\n';
    keys[count + 1] = '\0';
    return keys;
}

static void test_enter_gives_the_line_and_echoes_it(void **state)
{
    (void)state;
    assert_int_equal(type("help\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "help");
    assert_string_equal(echoed, "help\n");
}

static void test_an_empty_line_is_ready_and_empty(void **state)
{
    (void)state;
    assert_int_equal(type("\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "");
}

static void test_backspace_erases_the_last_character(void **state)
{
    (void)state;
    assert_int_equal(type("hepl\b\blp\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "help");
    assert_string_equal(echoed, "hepl\b \b\b \blp\n");
}

static void test_delete_erases_like_backspace(void **state)
{
    (void)state;
    assert_int_equal(type("upx\x7ftime\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "uptime");
}

static void test_backspace_at_column_0_does_nothing(void **state)
{
    (void)state;
    assert_int_equal(type("\b\bx\b\birq\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "irq");
    /* One erase for the one character typed: nothing rubs out the prompt. */
    assert_string_equal(echoed, "x\b \birq\n");
}

static void test_ctrl_u_erases_the_whole_line(void **state)
{
    (void)state;
    assert_int_equal(type("crash pf\x15mem\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "mem");
    assert_string_equal(echoed, "crash pf"
                                "\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b"
                                "mem\n");
}

static void test_ctrl_u_on_an_empty_line_does_nothing(void **state)
{
    (void)state;
    assert_int_equal(type("\x15info\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "info");
    assert_string_equal(echoed, "info\n");
}

static void test_ctrl_c_abandons_the_line(void **state)
{
    (void)state;
    assert_int_equal(type("reboot\x03"), MONITOR_LINE_CANCELLED);
    assert_string_equal(line.text, "");
    assert_int_equal(type("halt\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "halt");
    assert_string_equal(echoed, "reboot^C\nhalt\n");
}

static void test_unprintable_characters_are_ignored(void **state)
{
    (void)state;
    assert_int_equal(type("\x1b[Aup\ttime\x01\x80\xff\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "[Auptime");
    assert_string_equal(echoed, "[Auptime\n");
}

static void test_a_line_of_exactly_the_maximum_is_taken(void **state)
{
    (void)state;
    assert_int_equal(type(repeated('a', MONITOR_LINE_MAX)), MONITOR_LINE_READY);
    assert_int_equal(strlen(line.text), MONITOR_LINE_MAX);
    assert_int_equal(echoed_length, MONITOR_LINE_MAX + 1);
}

static void test_one_character_more_is_refused_whole(void **state)
{
    (void)state;
    assert_int_equal(type(repeated('a', MONITOR_LINE_MAX + 1)), MONITOR_LINE_TOO_LONG);
    assert_string_equal(line.text, "");
    /* The character past the end is not echoed, as if the line had stopped taking them. */
    assert_int_equal(echoed_length, MONITOR_LINE_MAX + 1);
}

/* The tail of an over-long line must not become a command of its own, even after edits. */
static void test_the_rest_of_a_refused_line_is_dropped(void **state)
{
    char keys[MONITOR_LINE_MAX + 32];

    (void)state;
    memset(keys, 'x', MONITOR_LINE_MAX + 1);
    strcpy(keys + MONITOR_LINE_MAX + 1, "\b\x15reboot\n");
    assert_int_equal(type(keys), MONITOR_LINE_TOO_LONG);
    assert_string_equal(line.text, "");
    /* Nothing after the limit is echoed or erased: the screen keeps the line as it stopped. */
    assert_int_equal(echoed_length, MONITOR_LINE_MAX + 1);
    assert_int_equal(echoed[MONITOR_LINE_MAX], '\n');
    echoed_length = 0;
    assert_int_equal(type("help\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "help");
}

static void test_backspace_below_the_maximum_makes_room(void **state)
{
    char keys[MONITOR_LINE_MAX + 8];

    (void)state;
    memset(keys, 'y', MONITOR_LINE_MAX);
    strcpy(keys + MONITOR_LINE_MAX, "\bz\n");
    assert_int_equal(type(keys), MONITOR_LINE_READY);
    assert_int_equal(strlen(line.text), MONITOR_LINE_MAX);
    assert_int_equal(line.text[MONITOR_LINE_MAX - 1], 'z');
}

static void test_ctrl_c_ends_a_refused_line_too(void **state)
{
    (void)state;
    type(repeated('q', MONITOR_LINE_MAX + 5)); /* refused */
    assert_int_equal(type(repeated('w', MONITOR_LINE_MAX + 3)), MONITOR_LINE_TOO_LONG);
    for (size_t i = 0; i < MONITOR_LINE_MAX + 2; i++)
        monitor_line_feed(&line, 'e');
    assert_int_equal(monitor_line_feed(&line, MONITOR_KEY_CTRL_C), MONITOR_LINE_CANCELLED);
    assert_int_equal(type("ok\n"), MONITOR_LINE_READY);
    assert_string_equal(line.text, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_enter_gives_the_line_and_echoes_it, set_up),
        cmocka_unit_test_setup(test_an_empty_line_is_ready_and_empty, set_up),
        cmocka_unit_test_setup(test_backspace_erases_the_last_character, set_up),
        cmocka_unit_test_setup(test_delete_erases_like_backspace, set_up),
        cmocka_unit_test_setup(test_backspace_at_column_0_does_nothing, set_up),
        cmocka_unit_test_setup(test_ctrl_u_erases_the_whole_line, set_up),
        cmocka_unit_test_setup(test_ctrl_u_on_an_empty_line_does_nothing, set_up),
        cmocka_unit_test_setup(test_ctrl_c_abandons_the_line, set_up),
        cmocka_unit_test_setup(test_unprintable_characters_are_ignored, set_up),
        cmocka_unit_test_setup(test_a_line_of_exactly_the_maximum_is_taken, set_up),
        cmocka_unit_test_setup(test_one_character_more_is_refused_whole, set_up),
        cmocka_unit_test_setup(test_the_rest_of_a_refused_line_is_dropped, set_up),
        cmocka_unit_test_setup(test_backspace_below_the_maximum_makes_room, set_up),
        cmocka_unit_test_setup(test_ctrl_c_ends_a_refused_line_too, set_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
