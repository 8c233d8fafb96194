/* In-kernel tests of the command-line option registry: what the linker gathered. */
#include "kernel/cmdline.h"
#include "kernel/selftest.h"
#include "kernel/string.h"

static const struct cmdline_option *registered(const char *name)
{
    for (const struct cmdline_option *o = __cmdline_options_start; o < __cmdline_options_end; o++) {
        if (strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

SELFTEST(cmdline_registry_holds_every_option)
{
    SELFTEST_ASSERT(registered("selftest") != NULL);
    SELFTEST_ASSERT(registered("exit") != NULL);
    SELFTEST_ASSERT(registered("no-such-option") == NULL);
    for (const struct cmdline_option *o = __cmdline_options_start; o < __cmdline_options_end; o++)
        SELFTEST_ASSERT(o->set != NULL && o->help != NULL);
}

SELFTEST(cmdline_options_reject_values_they_do_not_take)
{
    const struct cmdline_option *selftest = registered("selftest");
    const struct cmdline_option *exit_option = registered("exit");

    SELFTEST_ASSERT(selftest != NULL && exit_option != NULL);
    SELFTEST_ASSERT(!selftest->set("yes"));
    SELFTEST_ASSERT(!exit_option->set("bochs"));
}
