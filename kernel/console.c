/* The list of consoles, and writing to all of them. */
#include "kernel/console.h"

static struct console *consoles;

void console_register(struct console *con)
{
    struct console **tail = &consoles;

    /* Keep registration order, so output goes to the consoles in the order they came up. */
    while (*tail)
        tail = &(*tail)->next;
    con->next = NULL;
    *tail = con;
}

bool console_any(void)
{
    return consoles != NULL;
}

void console_write(const char *text, size_t len)
{
    for (struct console *con = consoles; con; con = con->next)
        con->write(con, text, len);
}

void console_set_colour(enum console_colour fg, enum console_colour bg)
{
    for (struct console *con = consoles; con; con = con->next) {
        if (con->set_colour)
            con->set_colour(con, fg, bg);
    }
}
