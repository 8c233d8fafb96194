/*
 * The keel> monitor: what keel does once it has booted. It reads command lines from every console
 * that has input (the keyboard, serial) and runs them; between keys the CPU halts with interrupts
 * on. Its commands are a table in kernel/monitor_commands.c.
 */
#pragma once

#include <stddef.h>
#include <stdnoreturn.h>

#define MONITOR_PROMPT "keel> "

/*
 * One command. run gets the rest of the line after the name, spaces trimmed: "" when there is
 * none, never NULL. A command whose arguments are "" is never run with any: the line is refused.
 */
struct monitor_command {
    const char *name;
    const char *arguments; /* for help: "<kind>", or "" when it takes none */
    const char *summary;   /* for help: what it does, in a few words */
    void (*run)(const char *arguments);
};

/* The commands, in the order help lists them (kernel/monitor_commands.c). */
extern const struct monitor_command monitor_commands[];
extern const size_t monitor_command_count;

/* Prints the prompt and reads lines from input_pop (kernel/input.h), forever. */
noreturn void monitor_run(void);

/*
 * Runs one line: its first word names a command in commands[0..count), the rest is the
 * command's arguments. An empty line does nothing; an unknown command, or arguments given to a
 * command that takes none, get one line saying so.
 */
void monitor_execute(const struct monitor_command *commands, size_t count, const char *line);
