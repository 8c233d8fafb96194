/*
 * What the clock (kernel/clock.c) asks of the architecture, beyond kernel/arch.h: the machine's
 * timers, and a periodic tick. On a PC (arch/x86_64/pc/timers.c): the TSC; the HPET, the ACPI PM
 * timer and the PIT as references; the local APIC timer, or the PIT without APICs, for the tick.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/clock_calibrate.h"

#define ARCH_TIMER_REFERENCES 3

struct arch_timers {
    struct clock_counter cpu; /* the CPU's cycle counter; hz when the CPU states it, else 0 */
    const char *cpu_hz_from;  /* where that hz came from ("CPUID 0x15"), or NULL */
    bool cpu_invariant;       /* one rate in every power state: fit to keep time */
    struct clock_counter references[ARCH_TIMER_REFERENCES]; /* of known rates, best first */
    size_t reference_count;
    struct clock_counter tick_timer; /* the tick's own counter, to calibrate; name NULL if none */
    bool tsc_deadline;               /* the tick can be a TSC deadline */
};

/*
 * Finds the timers; one that is there but unusable (an HPET with an impossible period) is left
 * out and said so in one line. Needs acpi_init and interrupts_init to have run.
 */
void arch_timers_probe(struct arch_timers *timers);

/*
 * Starts calling tick() from an interrupt, hz times a second, on timers' tick timer (with the
 * rates calibration found for it and the CPU's counter) or on a fixed-rate one. Returns what ticks
 * ("APIC timer, TSC deadline"), with *period_ns the tick's exact period, or NULL when no tick
 * could be started. Called once, interrupts off.
 */
const char *arch_tick_start(const struct arch_timers *timers, unsigned hz, void (*tick)(void),
                            uint64_t *period_ns);

/*
 * On an AP, interrupts off: starts the same tick on this CPU's own timer, calling the same
 * tick(). False when the boot CPU's tick is not one every CPU has (the PIT).
 */
bool arch_tick_start_this_cpu(void);
