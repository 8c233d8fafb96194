/*
 * The keyboard decoder: scancode bytes to key events (prefixes, releases, the Pause key's
 * sequence), the modifiers they change, and the US layout that turns a press into a character.
 */
#include "kernel/keyboard.h"

#include "kernel/keyboard_scancodes.h"

/* The Pause key sends E1 and then two codes (set 2: each release after F0), and no break. */
#define PAUSE_CODES 2

void keyboard_init(struct keyboard *keyboard, enum scancode_set set)
{
    *keyboard = (struct keyboard){.set = set, .num_lock = true};
}

/* A Lock key toggles on a press, but not again on the presses it repeats while held. */
static void toggle_lock(bool *on, bool *down, bool pressed)
{
    if (pressed && !*down)
        *on = !*on;
    *down = pressed;
}

static void track_modifiers(struct keyboard *keyboard, struct key_event event)
{
    switch (event.key) {
    case KEY_LEFT_SHIFT:
        keyboard->left_shift = event.pressed;
        break;
    case KEY_RIGHT_SHIFT:
        keyboard->right_shift = event.pressed;
        break;
    case KEY_LEFT_CTRL:
        keyboard->left_ctrl = event.pressed;
        break;
    case KEY_RIGHT_CTRL:
        keyboard->right_ctrl = event.pressed;
        break;
    case KEY_CAPS_LOCK:
        toggle_lock(&keyboard->caps_lock, &keyboard->caps_lock_down, event.pressed);
        break;
    case KEY_NUM_LOCK:
        toggle_lock(&keyboard->num_lock, &keyboard->num_lock_down, event.pressed);
        break;
    default:
        break;
    }
}

/*
 * Set 1: E1 1D 45 on a press, E1 9D C5 on the release. Set 2: E1 14 77 on a press, E1 F0 14 F0 77
 * on the release. Both are one event each.
 */
static bool decode_pause(struct keyboard *keyboard, uint8_t byte, struct key_event *event)
{
    if (keyboard->set == SCANCODE_SET_2 && byte == SCANCODE_SET2_RELEASE) {
        keyboard->pause_releasing = true;
        return false;
    }
    if (keyboard->set == SCANCODE_SET_1 && (byte & SCANCODE_SET1_RELEASE))
        keyboard->pause_releasing = true;
    if (--keyboard->pause_codes_left > 0)
        return false;
    *event = (struct key_event){.key = KEY_PAUSE, .pressed = !keyboard->pause_releasing};
    return true;
}

bool keyboard_decode(struct keyboard *keyboard, uint8_t byte, struct key_event *event)
{
    if (keyboard->pause_codes_left > 0)
        return decode_pause(keyboard, byte, event);
    if (byte == SCANCODE_EXTENDED) {
        keyboard->extended = true;
        return false;
    }
    if (byte == SCANCODE_PAUSE) {
        keyboard->pause_codes_left = PAUSE_CODES;
        keyboard->pause_releasing = false;
        keyboard->extended = keyboard->releasing = false;
        return false;
    }
    if (keyboard->set == SCANCODE_SET_2 && byte == SCANCODE_SET2_RELEASE) {
        keyboard->releasing = true;
        return false;
    }

    bool released = keyboard->releasing;
    uint8_t code = byte;
    if (keyboard->set == SCANCODE_SET_1) {
        released = (byte & SCANCODE_SET1_RELEASE) != 0;
        code = byte & (uint8_t)~SCANCODE_SET1_RELEASE;
    }
    enum key key = scancode_key(keyboard->set, keyboard->extended, code);
    keyboard->extended = keyboard->releasing = false;
    /* Unknown codes, fake Shifts and the keyboard's answers (00, AA, FA, FE, FF...) end here. */
    if (key == KEY_NONE)
        return false;
    *event = (struct key_event){.key = key, .pressed = !released};
    track_modifiers(keyboard, *event);
    return true;
}

/* What a key types, without and with Shift; 0: nothing. */
struct layout_key {
    char normal, shifted;
};

static const struct layout_key us_layout[KEY_COUNT] = {
    [KEY_BACKTICK] = {'`', '~'},
    [KEY_1] = {'1', '!'},
    [KEY_2] = {'2', '@'},
    [KEY_3] = {'3', '#'},
    [KEY_4] = {'4', '$'},
    [KEY_5] = {'5', '%'},
    [KEY_6] = {'6', '^'},
    [KEY_7] = {'7', '&'},
    [KEY_8] = {'8', '*'},
    [KEY_9] = {'9', '('},
    [KEY_0] = {'0', ')'},
    [KEY_MINUS] = {'-', '_'},
    [KEY_EQUALS] = {'=', '+'},
    [KEY_BACKSPACE] = {'\b', '\b'},
    [KEY_TAB] = {'\t', '\t'},
    [KEY_Q] = {'q', 'Q'},
    [KEY_W] = {'w', 'W'},
    [KEY_E] = {'e', 'E'},
    [KEY_R] = {'r', 'R'},
    [KEY_T] = {'t', 'T'},
    [KEY_Y] = {'y', 'Y'},
    [KEY_U] = {'u', 'U'},
    [KEY_I] = {'i', 'I'},
    [KEY_O] = {'o', 'O'},
    [KEY_P] = {'p', 'P'},
    [KEY_LEFT_BRACKET] = {'[', '{'},
    [KEY_RIGHT_BRACKET] = {']', '}'},
    [KEY_BACKSLASH] = {'\\', '|'},
    [KEY_A] = {'a', 'A'},
    [KEY_S] = {'s', 'S'},
    [KEY_D] = {'d', 'D'},
    [KEY_F] = {'f', 'F'},
    [KEY_G] = {'g', 'G'},
    [KEY_H] = {'h', 'H'},
    [KEY_J] = {'j', 'J'},
    [KEY_K] = {'k', 'K'},
    [KEY_L] = {'l', 'L'},
    [KEY_SEMICOLON] = {';', ':'},
    [KEY_APOSTROPHE] = {'\'', '"'},
    [KEY_ENTER] = {'\n', '\n'},
    [KEY_Z] = {'z', 'Z'},
    [KEY_X] = {'x', 'X'},
    [KEY_C] = {'c', 'C'},
    [KEY_V] = {'v', 'V'},
    [KEY_B] = {'b', 'B'},
    [KEY_N] = {'n', 'N'},
    [KEY_M] = {'m', 'M'},
    [KEY_COMMA] = {',', '<'},
    [KEY_PERIOD] = {'.', '>'},
    [KEY_SLASH] = {'/', '?'},
    [KEY_SPACE] = {' ', ' '},
    /* On a US keyboard the 102nd key, where there is one, types what Backslash does. */
    [KEY_NON_US_BACKSLASH] = {'\\', '|'},
    [KEY_KEYPAD_SLASH] = {'/', '/'},
    [KEY_KEYPAD_STAR] = {'*', '*'},
    [KEY_KEYPAD_MINUS] = {'-', '-'},
    [KEY_KEYPAD_PLUS] = {'+', '+'},
    [KEY_KEYPAD_ENTER] = {'\n', '\n'},
    [KEY_KEYPAD_0] = {'0', '0'},
    [KEY_KEYPAD_1] = {'1', '1'},
    [KEY_KEYPAD_2] = {'2', '2'},
    [KEY_KEYPAD_3] = {'3', '3'},
    [KEY_KEYPAD_4] = {'4', '4'},
    [KEY_KEYPAD_5] = {'5', '5'},
    [KEY_KEYPAD_6] = {'6', '6'},
    [KEY_KEYPAD_7] = {'7', '7'},
    [KEY_KEYPAD_8] = {'8', '8'},
    [KEY_KEYPAD_9] = {'9', '9'},
    [KEY_KEYPAD_PERIOD] = {'.', '.'},
};

/* The keypad's digits and period type only with Num Lock on; without, they are cursor keys. */
static const bool needs_num_lock[KEY_COUNT] = {
    [KEY_KEYPAD_0] = true, [KEY_KEYPAD_1] = true, [KEY_KEYPAD_2] = true,      [KEY_KEYPAD_3] = true,
    [KEY_KEYPAD_4] = true, [KEY_KEYPAD_5] = true, [KEY_KEYPAD_6] = true,      [KEY_KEYPAD_7] = true,
    [KEY_KEYPAD_8] = true, [KEY_KEYPAD_9] = true, [KEY_KEYPAD_PERIOD] = true,
};

int keyboard_char(const struct keyboard *keyboard, struct key_event event)
{
    if (!event.pressed || event.key >= KEY_COUNT)
        return -1;
    const struct layout_key *key = &us_layout[event.key];
    if (key->normal == 0)
        return -1;
    if (needs_num_lock[event.key] && !keyboard->num_lock)
        return -1;

    bool letter = key->normal >= 'a' && key->normal <= 'z';
    if (letter && (keyboard->left_ctrl || keyboard->right_ctrl))
        return key->normal - 'a' + 1; /* the ASCII control characters: Ctrl-A is 1 */
    bool shift = keyboard->left_shift || keyboard->right_shift;
    if (letter && keyboard->caps_lock)
        shift = !shift;
    return shift ? key->shifted : key->normal;
}

int keyboard_feed(struct keyboard *keyboard, uint8_t byte)
{
    struct key_event event;

    if (!keyboard_decode(keyboard, byte, &event))
        return -1;
    return keyboard_char(keyboard, event);
}
