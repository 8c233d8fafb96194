/* The keel> monitor's loop: wait for a key, edit the line, run it (kernel/monitor.h). */
#include "kernel/monitor.h"

#include <stdbool.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/input.h"
#include "kernel/kprintf.h"
#include "kernel/monitor_line.h"
#include "kernel/string.h"

static bool is_space(char c)
{
    return c == ' ';
}

void monitor_execute(const struct monitor_command *commands, size_t count, const char *line)
{
    while (is_space(*line))
        line++;
    size_t name_length = 0;
    while (line[name_length] != '\0' && !is_space(line[name_length]))
        name_length++;
    if (name_length == 0)
        return;

    /* The arguments, trimmed: a copy, since line is the caller's. */
    char arguments[MONITOR_LINE_MAX + 1];
    const char *rest = line + name_length;
    while (is_space(*rest))
        rest++;
    size_t length = strnlen(rest, MONITOR_LINE_MAX);
    while (length > 0 && is_space(rest[length - 1]))
        length--;
    memcpy(arguments, rest, length);
    arguments[length] = '\0';

    for (size_t i = 0; i < count; i++) {
        if (strlen(commands[i].name) != name_length ||
            strncmp(commands[i].name, line, name_length) != 0)
            continue;
        if (commands[i].arguments[0] == '\0' && arguments[0] != '\0')
            kprintf("%s takes no arguments\n", commands[i].name);
        else
            commands[i].run(arguments);
        return;
    }
    kprintf("unknown command: %.*s (try help)\n", (int)name_length, line);
}

static void echo(const char *text, size_t length)
{
    kprintf("%.*s", (int)length, text);
}

/*
 * The next character typed on any console. The queue is checked with interrupts off, and the CPU
 * halts with them turned on in the same step (arch_wait_for_interrupt), so a key that arrives
 * between the check and the halt still wakes it: no key waits for the next one to be seen.
 */
static char next_character(void)
{
    for (;;) {
        unsigned long flags = arch_irq_save();
        int c = input_pop();
        if (c < 0)
            arch_wait_for_interrupt();
        arch_irq_restore(flags);
        if (c >= 0)
            return (char)c;
    }
}

noreturn void monitor_run(void)
{
    struct monitor_line line;

    monitor_line_init(&line, echo);
    arch_interrupts_enable(); /* from here keel idles with interrupts on */
    console_set_cursor(true);
    kprintf(MONITOR_PROMPT);
    for (;;) {
        switch (monitor_line_feed(&line, next_character())) {
        case MONITOR_LINE_EDITING:
            continue;
        case MONITOR_LINE_READY:
            monitor_execute(monitor_commands, monitor_command_count, line.text);
            break;
        case MONITOR_LINE_TOO_LONG:
            kprintf("line too long: more than %d characters, ignored\n", MONITOR_LINE_MAX);
            break;
        case MONITOR_LINE_CANCELLED:
            break;
        }
        kprintf(MONITOR_PROMPT);
    }
}
