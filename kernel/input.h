/*
 * The console's input: one queue of characters that the keyboard and the serial port fill from
 * their interrupts and the monitor empties. Characters as the monitor reads them: printable
 * ASCII, '\n' for Enter (CR, LF and CR LF all give one '\n'), '\b' for Backspace, '\t' for Tab,
 * Ctrl with a letter 1-26 (0x03 Ctrl-C, 0x15 Ctrl-U).
 */
#pragma once

#include <stddef.h>

/* How many characters wait at most; more typed before the reader catches up are dropped. */
#define INPUT_QUEUE_SIZE 256

/* Room for what arch_keyboard_init and arch_serial_input_init say (kernel/arch.h). */
#define INPUT_DESCRIPTION_SIZE 80

/* The kmain step after clock_init: starts the keyboard and serial input, with their interrupts. */
void input_init(void);

/* From the drivers' interrupt handlers, or any context: queues c, dropped if the queue is full. */
void input_push(char c);

/* The next character (0-255), or -1 when none waits; never blocks; any context. */
int input_pop(void);

/* The boot facts' line: "keyboard: PS/2 (i8042, scancode set 1 translated), serial COM1". */
void input_print_facts(void);

/* How many characters were dropped because the queue was full, since boot. */
size_t input_dropped(void);
