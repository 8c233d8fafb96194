/*
 * What a terminal on the serial line sends, made into the input characters of kernel/input.h:
 * Enter as CR, LF or CR LF, Backspace as DEL or BS, and escape sequences (the arrow keys'
 * ESC [ A, ESC O P for F1) dropped rather than typed as "[A".
 */
#pragma once

#include <stdint.h>

enum terminal_state {
    TERMINAL_PLAIN,
    TERMINAL_AFTER_CR,         /* a CR was Enter: an LF right after it belongs to it */
    TERMINAL_ESCAPE,           /* after ESC */
    TERMINAL_CONTROL_SEQUENCE, /* after ESC [: parameters until a final byte */
    TERMINAL_SINGLE_SHIFT,     /* after ESC O: one more byte */
};

struct terminal_decoder {
    enum terminal_state state;
};

/* Zeroed is ready: TERMINAL_PLAIN. */
static inline void terminal_decoder_init(struct terminal_decoder *decoder)
{
    decoder->state = TERMINAL_PLAIN;
}

/*
 * The character the next byte from the terminal types, or -1 when it types none (the LF of a
 * CR LF, escape sequences, NUL, bytes above 0x7f). Printable ASCII and the control characters
 * Ctrl-A to Ctrl-Z (Tab, Ctrl-C, Ctrl-U) pass as they are.
 */
int terminal_decode(struct terminal_decoder *decoder, uint8_t byte);
