/* Bytes from a terminal (ECMA-48 control sequences, VT100 keys) to input characters. */
#include "kernel/terminal.h"

#include <stdbool.h>

#define CTRL(letter) ((letter) - 'A' + 1)

#define ASCII_BS  0x08
#define ASCII_LF  0x0a
#define ASCII_CR  0x0d
#define ASCII_ESC 0x1b
#define ASCII_DEL 0x7f

/* ECMA-48 5.4: a control sequence ends with a final byte in 0x40-0x7e; 0x20-0x3f come before it. */
#define CSI_FINAL_FIRST 0x40
#define CSI_FINAL_LAST  0x7e
#define CSI_INNER_FIRST 0x20

static int decode_plain(struct terminal_decoder *decoder, uint8_t byte)
{
    bool after_cr = decoder->state == TERMINAL_AFTER_CR;

    decoder->state = TERMINAL_PLAIN;
    switch (byte) {
    case ASCII_CR:
        decoder->state = TERMINAL_AFTER_CR;
        return '\n';
    case ASCII_LF:
        return after_cr ? -1 : '\n';
    case ASCII_BS:
    case ASCII_DEL:
        return '\b';
    case ASCII_ESC:
        decoder->state = TERMINAL_ESCAPE;
        return -1;
    default:
        break;
    }
    if (byte >= ' ' && byte <= '~')
        return byte;
    if (byte >= CTRL('A') && byte <= CTRL('Z'))
        return byte;
    return -1;
}

int terminal_decode(struct terminal_decoder *decoder, uint8_t byte)
{
    switch (decoder->state) {
    case TERMINAL_ESCAPE:
        if (byte == '[') {
            decoder->state = TERMINAL_CONTROL_SEQUENCE;
            return -1;
        }
        if (byte == 'O') {
            decoder->state = TERMINAL_SINGLE_SHIFT;
            return -1;
        }
        /* A lone Escape key: dropped, and what follows it typed. */
        decoder->state = TERMINAL_PLAIN;
        return decode_plain(decoder, byte);
    case TERMINAL_CONTROL_SEQUENCE:
        if (byte >= CSI_FINAL_FIRST && byte <= CSI_FINAL_LAST) {
            decoder->state = TERMINAL_PLAIN;
            return -1;
        }
        if (byte >= CSI_INNER_FIRST && byte < CSI_FINAL_FIRST)
            return -1;
        /* Not part of a control sequence: the sequence was cut off; this byte is typed. */
        decoder->state = TERMINAL_PLAIN;
        return decode_plain(decoder, byte);
    case TERMINAL_SINGLE_SHIFT:
        decoder->state = TERMINAL_PLAIN;
        return -1;
    case TERMINAL_PLAIN:
    case TERMINAL_AFTER_CR:
        break;
    }
    return decode_plain(decoder, byte);
}
