/*
 * Host tests of the keyboard decoder (kernel/keyboard.c, kernel/keyboard_scancodes.c): both
 * scancode sets, the US layout, the modifiers, E0 and E1 sequences, and the first and last code
 * of each table and the codes just past them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/compiler.h"
#include "kernel/keyboard.h"

/* Feeds bytes and returns what they typed, control characters included, NUL-terminated. */
static const char *type_bytes(struct keyboard *keyboard, const uint8_t *bytes, size_t count)
{
    static char typed[256];
    size_t length = 0;

    for (size_t i = 0; i < count; i++) {
        int c = keyboard_feed(keyboard, bytes[i]);
        if (c >= 0) {
            assert_true(length < sizeof(typed) - 1);
            typed[length++] = (char)c;
        }
    }
    typed[length] = '\0';
    return typed;
}

#define TYPE(keyboard, ...)                                                                        \
    type_bytes((keyboard), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* The one event the bytes complete, the last of them; fails if any earlier byte completes one. */
static struct key_event decode_one(struct keyboard *keyboard, const uint8_t *bytes, size_t count)
{
    struct key_event event = {.key = KEY_NONE};

    for (size_t i = 0; i + 1 < count; i++)
        assert_false(keyboard_decode(keyboard, bytes[i], &event));
    assert_true(keyboard_decode(keyboard, bytes[count - 1], &event));
    return event;
}

#define DECODE(keyboard, ...)                                                                      \
    decode_one((keyboard), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* No byte of the sequence completes an event. */
static void assert_no_event(struct keyboard *keyboard, const uint8_t *bytes, size_t count)
{
    struct key_event event;

    for (size_t i = 0; i < count; i++)
        assert_false(keyboard_decode(keyboard, bytes[i], &event));
}

#define NO_EVENT(keyboard, ...)                                                                    \
    assert_no_event((keyboard), (const uint8_t[]){__VA_ARGS__},                                    \
                    sizeof((const uint8_t[]){__VA_ARGS__}))

static void expect_event(struct key_event event, enum key key, bool pressed)
{
    assert_int_equal(event.key, key);
    assert_int_equal(event.pressed, pressed);
}

/* The printable keys of a US keyboard in order, and the codes each set gives them. */
static const char unshifted_keys[] = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ ";
static const char shifted_keys[] = "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>? ";
static const uint8_t set1_printable[] = {
    0x29, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x10, 0x11, 0x12,
    0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x2b, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23,
    0x24, 0x25, 0x26, 0x27, 0x28, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x39,
};
static const uint8_t set2_printable[] = {
    0x0e, 0x16, 0x1e, 0x26, 0x25, 0x2e, 0x36, 0x3d, 0x3e, 0x46, 0x45, 0x4e, 0x55, 0x15, 0x1d, 0x24,
    0x2d, 0x2c, 0x35, 0x3c, 0x43, 0x44, 0x4d, 0x54, 0x5b, 0x5d, 0x1c, 0x1b, 0x23, 0x2b, 0x34, 0x33,
    0x3b, 0x42, 0x4b, 0x4c, 0x52, 0x1a, 0x22, 0x21, 0x2a, 0x32, 0x31, 0x3a, 0x41, 0x49, 0x4a, 0x29,
};

static void test_every_printable_key_in_set_1(void **state)
{
    (void)state;
    struct keyboard keyboard;

    assert_int_equal(ARRAY_SIZE(set1_printable), sizeof(unshifted_keys) - 1);
    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(type_bytes(&keyboard, set1_printable, sizeof(set1_printable)),
                        unshifted_keys);
    assert_string_equal(TYPE(&keyboard, 0x2a), ""); /* Left Shift down */
    assert_string_equal(type_bytes(&keyboard, set1_printable, sizeof(set1_printable)),
                        shifted_keys);
}

static void test_every_printable_key_in_set_2(void **state)
{
    (void)state;
    struct keyboard keyboard;

    assert_int_equal(ARRAY_SIZE(set2_printable), sizeof(unshifted_keys) - 1);
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(type_bytes(&keyboard, set2_printable, sizeof(set2_printable)),
                        unshifted_keys);
    assert_string_equal(TYPE(&keyboard, 0x59), ""); /* Right Shift down */
    assert_string_equal(type_bytes(&keyboard, set2_printable, sizeof(set2_printable)),
                        shifted_keys);
}

static void test_releases_type_nothing(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(TYPE(&keyboard, 0x1e, 0x9e, 0x30, 0xb0), "ab");
    expect_event(DECODE(&keyboard, 0x9e), KEY_A, false);
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x1c, 0xf0, 0x1c, 0x32, 0xf0, 0x32), "ab");
    expect_event(DECODE(&keyboard, 0xf0, 0x1c), KEY_A, false);
    /* The F0 applies to one code only. */
    assert_string_equal(TYPE(&keyboard, 0xf0, 0x1c, 0x1c), "a");
}

static void test_shift_is_held_until_released(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(TYPE(&keyboard, 0x2a, 0x1e, 0x1e, 0xaa, 0x1e), "AAa");
    assert_string_equal(TYPE(&keyboard, 0x36, 0x02, 0xb6, 0x02), "!1");
    /* Both down, one released: still shifted. */
    assert_string_equal(TYPE(&keyboard, 0x2a, 0x36, 0xaa, 0x1e, 0xb6, 0x1e), "Aa");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x12, 0x1c, 0xf0, 0x12, 0x1c), "Aa");
}

static void test_caps_lock_shifts_letters_only(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_false(keyboard.caps_lock);
    assert_string_equal(TYPE(&keyboard, 0x3a, 0xba, 0x1e, 0x2c, 0x02, 0x29, 0x1a), "AZ1`[");
    /* Shift undoes Caps Lock for letters, and shifts the rest as usual. */
    assert_string_equal(TYPE(&keyboard, 0x2a, 0x1e, 0x02, 0xaa), "a!");
    assert_string_equal(TYPE(&keyboard, 0x3a, 0xba, 0x1e), "a");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x58, 0xf0, 0x58, 0x1c), "A");
}

/* Held down, Caps Lock repeats its press: it toggles once per press, not per repeat. */
static void test_caps_lock_repeat_toggles_once(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(TYPE(&keyboard, 0x3a, 0x3a, 0x3a, 0xba, 0x1e), "A");
    assert_string_equal(TYPE(&keyboard, 0x3a, 0x3a, 0xba, 0x1e), "a");
}

static void test_ctrl_with_a_letter_is_a_control_character(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    /* Ctrl-A, Ctrl-C, Ctrl-U, Ctrl-Z: the first and last letters and the two the monitor uses. */
    assert_string_equal(TYPE(&keyboard, 0x1d, 0x1e, 0x2e, 0x16, 0x2c, 0x9d), "\x01\x03\x15\x1a");
    assert_string_equal(TYPE(&keyboard, 0x16), "u");
    /* Shift and Caps Lock do not change a control character. */
    assert_string_equal(TYPE(&keyboard, 0x2a, 0x1d, 0x16, 0x9d, 0xaa), "\x15");
    assert_string_equal(TYPE(&keyboard, 0x3a, 0xba, 0x1d, 0x16, 0x9d, 0x3a, 0xba), "\x15");
    /* Not letters: the keys just outside a-z in ASCII ('`' is 0x60, '{' is Shift-[). */
    assert_string_equal(TYPE(&keyboard, 0x1d, 0x29, 0x1a, 0x02, 0x9d), "`[1");
    assert_string_equal(TYPE(&keyboard, 0x1d, 0x2a, 0x1a, 0xaa, 0x9d), "{");
    /* Right Ctrl (E0 1D) as well, and its release. */
    assert_string_equal(TYPE(&keyboard, 0xe0, 0x1d, 0x2e, 0xe0, 0x9d, 0x2e), "\x03"
                                                                             "c");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x14, 0x3c, 0xf0, 0x14, 0x3c), "\x15u");
    assert_string_equal(TYPE(&keyboard, 0xe0, 0x14, 0x21, 0xe0, 0xf0, 0x14, 0x21), "\x03"
                                                                                   "c");
}

static void test_enter_backspace_tab(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(TYPE(&keyboard, 0x1c, 0x0e, 0x0f, 0xe0, 0x1c, 0xe0, 0x9c), "\n\b\t\n");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x5a, 0x66, 0x0d, 0xe0, 0x5a, 0xe0, 0xf0, 0x5a),
                        "\n\b\t\n");
}

/* Arrows and the like give key events but type nothing; the E0 applies to one code only. */
static void test_extended_keys(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    expect_event(DECODE(&keyboard, 0xe0, 0x48), KEY_UP, true);
    expect_event(DECODE(&keyboard, 0xe0, 0xc8), KEY_UP, false);
    expect_event(DECODE(&keyboard, 0xe0, 0x53), KEY_DELETE, true);
    /* 0x48 alone is keypad 8, which Num Lock (on at first) makes a digit. */
    expect_event(DECODE(&keyboard, 0x48), KEY_KEYPAD_8, true);
    assert_string_equal(TYPE(&keyboard, 0xe0, 0x48, 0x48, 0xe0, 0x4b, 0xe0, 0x35), "8/");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    expect_event(DECODE(&keyboard, 0xe0, 0x75), KEY_UP, true);
    expect_event(DECODE(&keyboard, 0xe0, 0xf0, 0x75), KEY_UP, false);
    expect_event(DECODE(&keyboard, 0x75), KEY_KEYPAD_8, true);
    assert_string_equal(TYPE(&keyboard, 0xe0, 0x75, 0x75, 0xe0, 0x6b, 0xe0, 0x4a), "8/");
}

/*
 * With Num Lock on, some keyboards wrap the arrow keys in a fake Shift release and press (E0 AA
 * ... E0 2A); Print Screen sends E0 2A E0 37. None of that may change the real Shift's state.
 */
static void test_fake_shifts_are_ignored(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    NO_EVENT(&keyboard, 0xe0, 0x2a, 0xe0, 0x36);
    assert_false(keyboard.left_shift || keyboard.right_shift);
    assert_string_equal(TYPE(&keyboard, 0x1e), "a");
    /* The real Shift held through a fake Shift's release. */
    assert_string_equal(TYPE(&keyboard, 0x2a, 0xe0, 0xaa, 0xe0, 0x48, 0xe0, 0x2a, 0x1e), "A");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    NO_EVENT(&keyboard, 0xe0, 0x12, 0xe0, 0x59);
    assert_string_equal(TYPE(&keyboard, 0x1c), "a");
    assert_string_equal(TYPE(&keyboard, 0x12, 0xe0, 0xf0, 0x12, 0xe0, 0x75, 0x1c), "A");
}

/* The Pause key: E1 and two codes, one event each for press and release, no Ctrl left down. */
static void test_pause(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    expect_event(DECODE(&keyboard, 0xe1, 0x1d, 0x45), KEY_PAUSE, true);
    expect_event(DECODE(&keyboard, 0xe1, 0x9d, 0xc5), KEY_PAUSE, false);
    assert_false(keyboard.left_ctrl);
    assert_true(keyboard.num_lock);
    assert_string_equal(TYPE(&keyboard, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1e), "a");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    expect_event(DECODE(&keyboard, 0xe1, 0x14, 0x77), KEY_PAUSE, true);
    expect_event(DECODE(&keyboard, 0xe1, 0xf0, 0x14, 0xf0, 0x77), KEY_PAUSE, false);
    assert_false(keyboard.left_ctrl);
    assert_true(keyboard.num_lock);
    assert_string_equal(TYPE(&keyboard, 0xe1, 0x14, 0x77, 0x1c), "a");
}

/* Set 1: the first code (Escape, 0x01) and the last (F12, 0x58); 0x00 and 0x59 name no key. */
static void test_set_1_table_ends(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    expect_event(DECODE(&keyboard, 0x01), KEY_ESCAPE, true);
    expect_event(DECODE(&keyboard, 0x58), KEY_F12, true);
    expect_event(DECODE(&keyboard, 0xd8), KEY_F12, false);
    NO_EVENT(&keyboard, 0x00, 0x59, 0xd9, 0x7f, 0xff);
    /* Extended: E0 5D (Menu) is the last; E0 5E is past it. */
    expect_event(DECODE(&keyboard, 0xe0, 0x5d), KEY_MENU, true);
    NO_EVENT(&keyboard, 0xe0, 0x5e, 0xe0, 0x00, 0xe0, 0x7f);
    /* After all that, nothing is left half-decoded. */
    assert_string_equal(TYPE(&keyboard, 0x1e), "a");
}

/* Set 2: F9 (0x01) first, F7 (0x83) last; 0x00 and 0x84 name no key. */
static void test_set_2_table_ends(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_2);
    expect_event(DECODE(&keyboard, 0x01), KEY_F9, true);
    expect_event(DECODE(&keyboard, 0x83), KEY_F7, true);
    expect_event(DECODE(&keyboard, 0xf0, 0x83), KEY_F7, false);
    NO_EVENT(&keyboard, 0x00, 0x84, 0xf0, 0x84);
    expect_event(DECODE(&keyboard, 0x7e), KEY_SCROLL_LOCK, true);
    /* Extended: E0 7D (Page Up) is the last; E0 7E is past it (Ctrl-Break). */
    expect_event(DECODE(&keyboard, 0xe0, 0x7d), KEY_PAGE_UP, true);
    NO_EVENT(&keyboard, 0xe0, 0x7e, 0xe0, 0x00, 0xe0, 0x83);
    assert_string_equal(TYPE(&keyboard, 0x1c), "a");
}

/* Set 2: the keyboard's answers (ACK, self-test passed, echo, resend, errors) are no keys. */
static void test_keyboard_answers(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_2);
    NO_EVENT(&keyboard, 0xfa, 0xaa, 0xee, 0xfe, 0xfc, 0xfd, 0x00, 0xff);
    assert_string_equal(TYPE(&keyboard, 0x1c), "a");
    keyboard_init(&keyboard, SCANCODE_SET_1);
    NO_EVENT(&keyboard, 0xfa, 0xee, 0xfe, 0x00, 0xff);
    assert_string_equal(TYPE(&keyboard, 0x1e), "a");
}

static void test_num_lock(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_true(keyboard.num_lock);
    /* Keypad 7 8 9 - 4 5 6 + 1 2 3 0 . and * : all of the keypad's rows. */
    assert_string_equal(TYPE(&keyboard, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
                             0x51, 0x52, 0x53, 0x37),
                        "789-456+1230.*");
    assert_string_equal(TYPE(&keyboard, 0x45, 0x45, 0xc5), ""); /* held: toggles once */
    assert_false(keyboard.num_lock);
    /* Off: the digits and the period type nothing; the operators and Enter still do. */
    assert_string_equal(TYPE(&keyboard, 0x47, 0x52, 0x53, 0x4a, 0x4e, 0x37, 0xe0, 0x35, 0xe0, 0x1c),
                        "-+*/\n");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x70, 0x77, 0xf0, 0x77, 0x70, 0x7c), "0*");
}

/* keyboard_char's own bounds: KEY_NONE, KEY_COUNT and around the keypad digits' range. */
static void test_layout_bounds(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_NONE, true}), -1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_COUNT, true}), -1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_COUNT - 1, true}), '.');
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_COUNT - 1, false}), -1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_ESCAPE, true}), -1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_F12, true}), -1);
    keyboard.num_lock = false;
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_KEYPAD_ENTER, true}), '\n');
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_KEYPAD_0, true}), -1);
    assert_int_equal(keyboard_char(&keyboard, (struct key_event){KEY_KEYPAD_PERIOD, true}), -1);
}

static void test_non_us_backslash(void **state)
{
    (void)state;
    struct keyboard keyboard;

    keyboard_init(&keyboard, SCANCODE_SET_1);
    assert_string_equal(TYPE(&keyboard, 0x56, 0x2a, 0x56), "\\|");
    keyboard_init(&keyboard, SCANCODE_SET_2);
    assert_string_equal(TYPE(&keyboard, 0x61), "\\");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_printable_key_in_set_1),
        cmocka_unit_test(test_every_printable_key_in_set_2),
        cmocka_unit_test(test_releases_type_nothing),
        cmocka_unit_test(test_shift_is_held_until_released),
        cmocka_unit_test(test_caps_lock_shifts_letters_only),
        cmocka_unit_test(test_caps_lock_repeat_toggles_once),
        cmocka_unit_test(test_ctrl_with_a_letter_is_a_control_character),
        cmocka_unit_test(test_enter_backspace_tab),
        cmocka_unit_test(test_extended_keys),
        cmocka_unit_test(test_fake_shifts_are_ignored),
        cmocka_unit_test(test_pause),
        cmocka_unit_test(test_set_1_table_ends),
        cmocka_unit_test(test_set_2_table_ends),
        cmocka_unit_test(test_keyboard_answers),
        cmocka_unit_test(test_num_lock),
        cmocka_unit_test(test_layout_bounds),
        cmocka_unit_test(test_non_us_backslash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
