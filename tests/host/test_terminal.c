/* Host tests of what a terminal on the serial line sends, made into input (kernel/terminal.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/terminal.h"

/* Decodes text (NUL-terminated, so no NUL in it) with a fresh decoder; returns what it typed. */
static const char *decode(const char *text)
{
    static char typed[128];
    struct terminal_decoder decoder;
    size_t length = 0;

    terminal_decoder_init(&decoder);
    for (const char *p = text; *p; p++) {
        int c = terminal_decode(&decoder, (uint8_t)*p);
        if (c >= 0) {
            assert_true(length < sizeof(typed) - 1);
            typed[length++] = (char)c;
        }
    }
    typed[length] = '\0';
    return typed;
}

static void test_enter_as_cr_lf_or_both(void **state)
{
    (void)state;
    assert_string_equal(decode("help\r"), "help\n");
    assert_string_equal(decode("help\n"), "help\n");
    assert_string_equal(decode("help\r\n"), "help\n");
    /* Each CR is an Enter, each LF not right after a CR too. */
    assert_string_equal(decode("\r\r"), "\n\n");
    assert_string_equal(decode("\n\n"), "\n\n");
    assert_string_equal(decode("\n\r"), "\n\n");
    assert_string_equal(decode("\r\n\r\n"), "\n\n");
    assert_string_equal(decode("a\r\nb\nc\rd"), "a\nb\nc\nd");
    /* Only the LF right after the CR belongs to it. */
    assert_string_equal(decode("\rx\n"), "\nx\n");
}

static void test_delete_and_backspace(void **state)
{
    (void)state;
    assert_string_equal(decode("ab\x7f"
                               "c\b"),
                        "ab\bc\b");
}

/* ' ' (0x20) and '~' (0x7e) are the ends of printable ASCII; 0x1f and 0x7f lie past them. */
static void test_printable_and_control_ranges(void **state)
{
    (void)state;
    assert_string_equal(decode(" ~"), " ~");
    assert_string_equal(decode("\x1f"), "");
    assert_string_equal(decode("\x1c\x1d\x1e"), "");
    /* Ctrl-A (1) to Ctrl-Z (26) pass: Tab, Ctrl-C, Ctrl-U among them. */
    assert_string_equal(decode("\x01\x03\t\x15\x1a"), "\x01\x03\t\x15\x1a");
    /* Bytes above 0x7f (UTF-8, line noise) type nothing. */
    assert_string_equal(decode("\x80\xc3\xa9\xff"), "");
    struct terminal_decoder decoder;
    terminal_decoder_init(&decoder);
    assert_int_equal(terminal_decode(&decoder, 0x00), -1);
}

/* The arrow keys (ESC [ A), F1 (ESC O P), Delete (ESC [ 3 ~) and the like type nothing. */
static void test_escape_sequences_are_dropped(void **state)
{
    (void)state;
    assert_string_equal(decode("a\x1b[Ab"), "ab");
    assert_string_equal(decode("a\x1b[3~b"), "ab");
    assert_string_equal(decode("a\x1b[1;5Cb"), "ab");
    assert_string_equal(decode("a\x1bOPb"), "ab");
    /* The ends of a control sequence's final byte, 0x40 '@' and 0x7e '~'; 0x3f '?' is not one. */
    assert_string_equal(decode("\x1b[@x"), "x");
    assert_string_equal(decode("\x1b[~x"), "x");
    assert_string_equal(decode("\x1b[?25hx"), "x");
    /* 0x20, space, is the first byte that may come before the final one (ESC [ 2 SP q). */
    assert_string_equal(decode("\x1b[2 qx"), "x");
    /* A lone Escape is dropped, the key after it typed. */
    assert_string_equal(decode("\x1bx"), "x");
    assert_string_equal(decode("\x1b\r"), "\n");
    /* A sequence cut off by a byte that cannot be in it: that byte is typed. */
    assert_string_equal(decode("\x1b[1\r"), "\n");
    assert_string_equal(decode("\x1b[1\x1b[Bq"), "q");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enter_as_cr_lf_or_both),
        cmocka_unit_test(test_delete_and_backspace),
        cmocka_unit_test(test_printable_and_control_ranges),
        cmocka_unit_test(test_escape_sequences_are_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
