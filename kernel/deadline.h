/*
 * A bounded wait: it is over once the clock (kernel/clock.h) has passed a time, or after a count
 * of spins, whichever comes first. The spins bound the wait where the clock cannot: before
 * clock_init, and when its source is the tick and interrupts are off, so that it stands still.
 *
 *     struct deadline deadline = deadline_in_ms(100);
 *     while (!done() && !deadline_passed(&deadline))
 *         arch_spin_pause();
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock.h"

/* Spins allowed per millisecond: a spin (a pause and a clock read) takes 10 ns or more. */
#define DEADLINE_SPINS_PER_MS 100000u

struct deadline {
    uint64_t end_ns;
    uint64_t spins_left;
};

static inline struct deadline deadline_in_us(uint64_t us)
{
    return (struct deadline){
        .end_ns = clock_ns() + us * 1000u,
        .spins_left = us * DEADLINE_SPINS_PER_MS / 1000u,
    };
}

static inline struct deadline deadline_in_ms(uint64_t ms)
{
    return deadline_in_us(ms * 1000u);
}

/* Counts one spin; true once the time or the spins are up. */
static inline bool deadline_passed(struct deadline *deadline)
{
    if (deadline->spins_left == 0)
        return true;
    deadline->spins_left--;
    return clock_ns() >= deadline->end_ns;
}
