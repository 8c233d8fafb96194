/*
 * The PC keyboard's bytes made into key events and characters: scancode set 1 (what an i8042
 * that translates delivers) or set 2 (what the keyboard itself sends), a US layout with Shift,
 * Caps Lock, Num Lock and Ctrl. Pure code: the driver (arch/x86_64/pc/i8042.c) feeds it bytes.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum scancode_set {
    SCANCODE_SET_1 = 1,
    SCANCODE_SET_2 = 2,
};

/* The keys keel knows, by what is printed on them on a US keyboard, a row of it a line. */
/* clang-format off */
enum key {
    KEY_NONE = 0, /* a code no key of ours sends */
    KEY_ESCAPE,
    KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6,
    KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
    KEY_BACKTICK, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0,
    KEY_MINUS, KEY_EQUALS, KEY_BACKSPACE,
    KEY_TAB, KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P,
    KEY_LEFT_BRACKET, KEY_RIGHT_BRACKET, KEY_BACKSLASH,
    KEY_CAPS_LOCK, KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L,
    KEY_SEMICOLON, KEY_APOSTROPHE, KEY_ENTER,
    KEY_LEFT_SHIFT, KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M,
    KEY_COMMA, KEY_PERIOD, KEY_SLASH, KEY_RIGHT_SHIFT,
    KEY_LEFT_CTRL, KEY_LEFT_GUI, KEY_LEFT_ALT, KEY_SPACE, KEY_RIGHT_ALT, KEY_RIGHT_GUI, KEY_MENU,
    KEY_RIGHT_CTRL,
    KEY_NON_US_BACKSLASH, /* the 102nd key, left of Z on ISO keyboards */
    KEY_PRINT_SCREEN, KEY_SCROLL_LOCK, KEY_PAUSE,
    KEY_INSERT, KEY_HOME, KEY_PAGE_UP, KEY_DELETE, KEY_END, KEY_PAGE_DOWN,
    KEY_UP, KEY_LEFT, KEY_DOWN, KEY_RIGHT,
    KEY_NUM_LOCK, KEY_KEYPAD_SLASH, KEY_KEYPAD_STAR, KEY_KEYPAD_MINUS, KEY_KEYPAD_PLUS,
    KEY_KEYPAD_ENTER,
    KEY_KEYPAD_0, KEY_KEYPAD_1, KEY_KEYPAD_2, KEY_KEYPAD_3, KEY_KEYPAD_4,
    KEY_KEYPAD_5, KEY_KEYPAD_6, KEY_KEYPAD_7, KEY_KEYPAD_8, KEY_KEYPAD_9, KEY_KEYPAD_PERIOD,
    KEY_COUNT
};
/* clang-format on */

struct key_event {
    enum key key;
    bool pressed; /* false: released. A key held down repeats its presses. */
};

/* The decoder: where it is in a multi-byte sequence, and which modifiers are down or on. */
struct keyboard {
    enum scancode_set set;
    bool extended;            /* an E0 prefix came: the next code is an extended key */
    bool releasing;           /* set 2: an F0 prefix came: the next code is a release */
    uint8_t pause_codes_left; /* codes of the Pause key's E1 sequence still to come */
    bool pause_releasing;     /* the E1 sequence under way is Pause's release (set 1) */
    bool left_shift, right_shift, left_ctrl, right_ctrl;
    bool caps_lock, num_lock;           /* on or off: toggled by a press */
    bool caps_lock_down, num_lock_down; /* held: a repeated press does not toggle again */
};

/* Num Lock starts on, as most PC firmware leaves it; Caps Lock starts off. */
void keyboard_init(struct keyboard *keyboard, enum scancode_set set);

/*
 * Takes the next byte from the keyboard; true when it completes the event of a key keel knows,
 * then in *event. Prefixes, codes of no known key, the keyboard's own answers (ACK, self-test
 * passed, errors) and the "fake Shift" codes that some keys wrap themselves in give no event.
 * Shift, Ctrl, Caps Lock and Num Lock are tracked here.
 */
bool keyboard_decode(struct keyboard *keyboard, uint8_t byte, struct key_event *event);

/*
 * The character a key event types, given the modifiers now (kernel/input.h's alphabet:
 * printable ASCII, '\n' for Enter, '\b' for Backspace, '\t' for Tab, Ctrl with a letter 1-26,
 * so Ctrl-C is 0x03 and Ctrl-U 0x15), or -1: releases, modifiers and keys that type nothing
 * (arrows, function keys, Escape).
 */
int keyboard_char(const struct keyboard *keyboard, struct key_event event);

/* keyboard_decode and then keyboard_char: the character the byte completes, or -1. */
int keyboard_feed(struct keyboard *keyboard, uint8_t byte);
