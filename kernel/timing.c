/* keel.timing: the times of kmain's steps (kernel/timing.h). */
#include "kernel/timing.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/cmdline.h"
#include "kernel/kprintf.h"

struct timing_step {
    const char *name;
    uint64_t cycles;
};

static struct timing_step steps[TIMING_STEPS_MAX];
static size_t step_count; /* may pass TIMING_STEPS_MAX: the rest were not kept */
static bool timing_requested;

static bool set_timing(const char *value)
{
    if (value)
        return false;
    timing_requested = true;
    return true;
}
CMDLINE_OPTION(timing, set_timing, "prints how long each step of kmain took (takes no value)");

void timing_record(const char *step, uint64_t start, uint64_t end)
{
    if (step_count < TIMING_STEPS_MAX)
        steps[step_count] = (struct timing_step){step, end - start};
    step_count++;
}

void timing_print_if_requested(void)
{
    if (!timing_requested)
        return;
    for (size_t i = 0; i < step_count && i < TIMING_STEPS_MAX; i++)
        kprintf("keel: timing: %s %llu cycles\n", steps[i].name,
                (unsigned long long)steps[i].cycles);
    if (step_count > TIMING_STEPS_MAX)
        kprintf("keel: timing: %zu more steps not kept (TIMING_STEPS_MAX is %zu)\n",
                step_count - TIMING_STEPS_MAX, (size_t)TIMING_STEPS_MAX);
}
