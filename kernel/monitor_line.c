/* The monitor's line editor (kernel/monitor_line.h): Backspace, Ctrl-U, Ctrl-C and Enter. */
#include "kernel/monitor_line.h"

/* Rubs out the character before the cursor: back, overwrite with a space, back again. */
static const char erase[] = "\b \b";

void monitor_line_init(struct monitor_line *line, void (*echo)(const char *text, size_t length))
{
    line->text[0] = '\0';
    line->length = 0;
    line->overflowed = false;
    line->echo = echo;
}

static void start_over(struct monitor_line *line)
{
    line->length = 0;
    line->overflowed = false;
}

static void erase_last(struct monitor_line *line)
{
    if (line->length == 0)
        return;
    line->length--;
    line->echo(erase, sizeof(erase) - 1);
}

static enum monitor_line_status end_line(struct monitor_line *line)
{
    bool refused = line->overflowed;

    line->echo("\n", 1);
    line->text[refused ? 0 : line->length] = '\0';
    line->length = 0;
    line->overflowed = false;
    return refused ? MONITOR_LINE_TOO_LONG : MONITOR_LINE_READY;
}

enum monitor_line_status monitor_line_feed(struct monitor_line *line, char c)
{
    if (c == '\n')
        return end_line(line);
    if (c == MONITOR_KEY_CTRL_C) {
        line->echo("^C\n", 3);
        line->text[0] = '\0';
        start_over(line);
        return MONITOR_LINE_CANCELLED;
    }
    if (line->overflowed)
        return MONITOR_LINE_EDITING;

    if (c == MONITOR_KEY_BACKSPACE || c == MONITOR_KEY_DELETE) {
        erase_last(line);
    } else if (c == MONITOR_KEY_CTRL_U) {
        while (line->length > 0)
            erase_last(line);
    } else if (c >= ' ' && c <= '~') {
        if (line->length == MONITOR_LINE_MAX) {
            line->overflowed = true;
            return MONITOR_LINE_EDITING;
        }
        line->text[line->length++] = c;
        line->echo(&c, 1);
    }
    return MONITOR_LINE_EDITING;
}
