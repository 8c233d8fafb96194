/*
 * The monitor's line editor: characters in (as kernel/input.h delivers them), a command line out.
 * Pure code with no hardware behind it, so the host tests drive it key by key.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * The longest command line, in characters; one more is refused, never cut into a command. The
 * prompt ("keel> ") and the line fit in one row of an 80-column screen with the cursor still on
 * it: the screen consoles cannot take Backspace back up a row.
 */
#define MONITOR_LINE_MAX 73

/* The control characters the editor acts on (kernel/input.h's; DEL from serial terminals). */
#define MONITOR_KEY_CTRL_C    0x03 /* abandons the line */
#define MONITOR_KEY_BACKSPACE '\b'
#define MONITOR_KEY_CTRL_U    0x15 /* erases the whole line */
#define MONITOR_KEY_DELETE    0x7f /* what most terminals send for Backspace */

enum monitor_line_status {
    MONITOR_LINE_EDITING,   /* more characters to come */
    MONITOR_LINE_READY,     /* Enter: text holds the line, NUL-terminated */
    MONITOR_LINE_TOO_LONG,  /* Enter after more than MONITOR_LINE_MAX characters: refused */
    MONITOR_LINE_CANCELLED, /* Ctrl-C: the line is dropped */
};

struct monitor_line {
    char text[MONITOR_LINE_MAX + 1];
    size_t length;
    /*
     * The line passed MONITOR_LINE_MAX: the rest of it, up to Enter, is dropped (not echoed, not
     * edited) and the line is refused as a whole.
     */
    bool overflowed;
    /* Shows what the editor did to the line: the typed character, "\b \b" to erase one. */
    void (*echo)(const char *text, size_t length);
};

/* An empty line that echoes through echo. */
void monitor_line_init(struct monitor_line *line, void (*echo)(const char *text, size_t length));

/*
 * Takes one character. Printable ASCII is added and echoed; Backspace (or DEL) erases the last
 * character, Ctrl-U the whole line, both doing nothing on an empty line; '\n' ends the line;
 * other characters are ignored. After a status other than MONITOR_LINE_EDITING, the next
 * character starts a new, empty line.
 */
enum monitor_line_status monitor_line_feed(struct monitor_line *line, char c);
