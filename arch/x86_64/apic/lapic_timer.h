/*
 * The local APIC timer (Intel SDM vol. 3A, 10.5.4): the tick when the local APIC is in use. Its
 * registers are this file's; the rest of the local APIC is lapic.c's. It keeps counting while the
 * CPU halts (C1), all keel's idle loop does; in deeper sleep states it stops, unless CPUID 6 EAX
 * bit 2 (ARAT, "APIC timer always running") says otherwise.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock_calibrate.h"

/* Starts the timer counting, masked, and describes it as a 32-bit counter of unknown rate. */
void lapic_timer_counter(struct clock_counter *counter);

/* CPUID 1 ECX bit 24: the timer can fire when the TSC reaches a deadline (IA32_TSC_DEADLINE). */
bool lapic_timer_has_tsc_deadline(void);

/*
 * Calls tick() at hz from VECTOR_LAPIC_TIMER: periodic mode, counting apic_hz (the calibrated
 * rate at divide-by-1), or with tsc_hz given, a TSC deadline re-armed at each tick. Returns the
 * mode's name; *period_ns the tick's exact period.
 */
const char *lapic_timer_start(uint64_t apic_hz, uint64_t tsc_hz, unsigned hz, void (*tick)(void),
                              uint64_t *period_ns);

/*
 * On an AP: its own timer, in the mode and at the rate lapic_timer_start chose on the boot CPU
 * (every local APIC timer runs at the same rate on a PC), calling the same tick(). False when
 * the boot CPU's tick is not the APIC timer.
 */
bool lapic_timer_start_this_cpu(void);
