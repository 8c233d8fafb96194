/*
 * The console layer: every line the kernel prints goes to each registered console (serial, VGA
 * text, framebuffer). Drivers register themselves at boot; kprintf and panic only see this API.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The 16 colours of the PC text palette, in their VGA attribute order. */
enum console_colour {
    COLOUR_BLACK,
    COLOUR_BLUE,
    COLOUR_GREEN,
    COLOUR_CYAN,
    COLOUR_RED,
    COLOUR_MAGENTA,
    COLOUR_BROWN,
    COLOUR_LIGHT_GREY,
    COLOUR_DARK_GREY,
    COLOUR_LIGHT_BLUE,
    COLOUR_LIGHT_GREEN,
    COLOUR_LIGHT_CYAN,
    COLOUR_LIGHT_RED,
    COLOUR_LIGHT_MAGENTA,
    COLOUR_YELLOW,
    COLOUR_WHITE,
};

struct console {
    const char *name;
    /* Writes len bytes; '\n' starts a new line. Must work with interrupts off. */
    void (*write)(struct console *con, const char *text, size_t len);
    /* Optional: consoles without colour leave it NULL. */
    void (*set_colour)(struct console *con, enum console_colour fg, enum console_colour bg);
    /* Optional: shows or hides a cursor where the next character goes (off until asked for). */
    void (*set_cursor)(struct console *con, bool visible);
    struct console *next;
};

void console_register(struct console *con);
bool console_any(void);

/*
 * One print at a time (console.c says how): kprintf holds the console lock around each call. A
 * print on another CPU waits for the one in progress. A print that interrupts one on its own CPU
 * (an NMI handler's, in the middle of kprintf) cannot wait: its text is queued and comes out,
 * whole, when the interrupted print ends.
 */
void console_lock(void);
void console_unlock(void);

/* What the queue holds; more is dropped, and the number of bytes lost said when it is written. */
#define CONSOLE_QUEUE_SIZE 2048

/*
 * For panic: a print that faulted never ends, and another CPU may have stopped in the middle of
 * one; neither's lock must silence the report.
 */
void console_lock_reset(void);

/* Writes to every console; inside a nested print, to the queue. */
void console_write(const char *text, size_t len);

/* Ignored in the middle of a print: it would colour the rest of that print's line. */
void console_set_colour(enum console_colour fg, enum console_colour bg);

/*
 * A cursor where the next character goes, on the consoles that draw one themselves (the
 * framebuffer; VGA text and serial terminals have their own): for when keel waits for typing.
 */
void console_set_cursor(bool visible);
