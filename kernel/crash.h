/*
 * keel.crash=<kind> (arch/x86_64/cpu/crash.c owns the option): the kinds of deliberate breakage
 * that need no particular CPU, such as misuse of the heap. The CPU's own faults are the arch's.
 */
#pragma once

#include <stddef.h>

struct crash_kind {
    const char *name; /* the value of keel.crash= */
    void (*crash)(void);
    const char *what; /* what it does, for the line printed before */
};

/* The portable kinds, *count of them. */
const struct crash_kind *crash_portable_kinds(size_t *count);

/* The kind called name, the arch's (arch_crash_kinds, kernel/arch.h) or a portable one, or NULL. */
const struct crash_kind *crash_find_kind(const char *name);

/*
 * Names every kind, "de, ud, gp, ... or use-after-free", after column characters already on the
 * line, wrapped before column 80.
 */
void crash_print_kinds(size_t column);
