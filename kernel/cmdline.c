/* Splitting the kernel command line into words and handing keel.* options to their owners. */
#include "kernel/cmdline.h"

#include "kernel/kprintf.h"
#include "kernel/string.h"

#define OPTION_PREFIX     "keel."
#define OPTION_PREFIX_LEN (sizeof(OPTION_PREFIX) - 1)

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const struct cmdline_option *find_option(const struct cmdline_option *options, size_t count,
                                                const char *name, size_t len)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    }
    return NULL;
}

/* One word, not NUL-terminated. Returns false when it was ignored (and says why). */
static bool apply_word(const char *word, size_t len, const struct cmdline_option *options,
                       size_t count)
{
    char value[CMDLINE_VALUE_MAX + 1];

    if (len <= OPTION_PREFIX_LEN || strncmp(word, OPTION_PREFIX, OPTION_PREFIX_LEN) != 0) {
        kprintf("keel: ignoring '%.*s' on the command line (keel's options start with keel.)\n",
                (int)len, word);
        return false;
    }

    /* keel.<name>[=<value>] */
    const char *name = word + OPTION_PREFIX_LEN;
    size_t name_len = 0;
    while (name_len < len - OPTION_PREFIX_LEN && name[name_len] != '=')
        name_len++;
    bool has_value = name_len < len - OPTION_PREFIX_LEN;

    const struct cmdline_option *option = find_option(options, count, name, name_len);
    if (!option) {
        kprintf("keel: ignoring unknown option '%.*s'\n", (int)len, word);
        return false;
    }

    const char *value_text = NULL;
    if (has_value) {
        size_t value_len = len - OPTION_PREFIX_LEN - name_len - 1;
        if (value_len > CMDLINE_VALUE_MAX) {
            kprintf("keel: ignoring keel.%s: its value is longer than %d characters\n",
                    option->name, CMDLINE_VALUE_MAX);
            return false;
        }
        memcpy(value, name + name_len + 1, value_len);
        value[value_len] = '\0';
        value_text = value;
    }
    if (!option->set(value_text)) {
        kprintf("keel: ignoring '%.*s': keel.%s %s\n", (int)len, word, option->name, option->help);
        return false;
    }
    return true;
}

size_t cmdline_parse(const char *cmdline, const struct cmdline_option *options, size_t count)
{
    size_t ignored = 0;

    if (!cmdline)
        return 0;
    for (const char *p = cmdline; *p;) {
        while (is_space(*p))
            p++;
        const char *word = p;
        while (*p && !is_space(*p))
            p++;
        if (p > word && !apply_word(word, (size_t)(p - word), options, count))
            ignored++;
    }
    return ignored;
}
