/*
 * The kernel command line (multiboot2 tag 1): options of the form keel.<name> or
 * keel.<name>=<value>, each registered by the file whose code it configures, with CMDLINE_OPTION.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "kernel/compiler.h"

/* The longest value an option can take; a longer one is reported and ignored. */
#define CMDLINE_VALUE_MAX 64

struct cmdline_option {
    const char *name; /* after "keel.", e.g. "selftest" for keel.selftest */
    /*
     * Called for each occurrence on the command line, in order. value is the NUL-terminated text
     * after '=' ("" for "keel.x="), or NULL for a bare "keel.x". Returns false when the value is
     * not one the option takes; the option is then reported and left as it was.
     */
    bool (*set)(const char *value);
    /* Completes "keel.<name> ...", for messages: "runs the self-tests, then halts (no value)". */
    const char *help;
};

/*
 * Registers keel.<name>. The entry goes into its own section, which linker/kernel.ld gathers into
 * one array (__cmdline_options_start .. __cmdline_options_end): no central list to edit.
 *     static bool set_selftest(const char *value) { ... }
 *     CMDLINE_OPTION(selftest, set_selftest, "runs the in-kernel tests, then halts (no value)");
 */
#define CMDLINE_OPTION(option_name, setter, help_text)                                             \
    static const struct cmdline_option cmdline_option_##option_name __used __aligned(8)            \
        __section("keel_cmdline_options") = {#option_name, setter, help_text}

/*
 * Applies every keel.* word of cmdline (NULL means none) to the matching option in
 * options[0..count). Unknown options, bad values and other words are reported on the console and
 * ignored. Returns how many words were ignored.
 */
size_t cmdline_parse(const char *cmdline, const struct cmdline_option *options, size_t count);

/* The registered options, in link order. */
extern const struct cmdline_option __cmdline_options_start[], __cmdline_options_end[];

/* Applies the command line to every registered option. */
static inline size_t cmdline_apply(const char *cmdline)
{
    return cmdline_parse(cmdline, __cmdline_options_start,
                         (size_t)(__cmdline_options_end - __cmdline_options_start));
}
