/*
 * keel.timing: how long each step of kmain takes, in time-stamp counter cycles
 * (arch_timestamp()). The steps are always timed, which costs two counter reads each; the
 * command line only decides whether the times are printed, since it is read halfway through.
 */
#pragma once

#include <stdint.h>

#include "kernel/arch.h"

/* At most this many steps are kept; later ones are counted but not kept. */
#define TIMING_STEPS_MAX 32

/* Runs call, a step of kmain, and keeps how long it took, under the call's own text. */
#define TIMED(call)                                                                                \
    do {                                                                                           \
        uint64_t timing_start_ = arch_timestamp();                                                 \
        call;                                                                                      \
        timing_record(#call, timing_start_, arch_timestamp());                                     \
    } while (0)

/* Keeps the step named step, which ran from the reading start to the reading end. */
void timing_record(const char *step, uint64_t start, uint64_t end);

/*
 * If the command line has keel.timing: prints one line per step kept,
 * "keel: timing: <step> <cycles> cycles", and says how many were not kept.
 */
void timing_print_if_requested(void);
