/*
 * keel.crash=<kind> (arch/x86_64/crash.c owns the option): the kinds of deliberate breakage that
 * need no particular CPU, such as misuse of the heap. The CPU's own faults are the arch's.
 */
#pragma once

struct crash_kind {
    const char *name; /* the value of keel.crash= */
    void (*crash)(void);
    const char *what; /* what it does, for the line printed before */
};

/* The portable kind called name, or NULL. */
const struct crash_kind *crash_portable_kind(const char *name);
