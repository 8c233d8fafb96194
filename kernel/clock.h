/*
 * Time: a monotonic clock in nanoseconds since boot, a periodic tick at keel.hz= (default 100)
 * and sleeping that halts the CPU between ticks. clock_init picks the clock's source, best first:
 * an invariant TSC, the HPET, the ACPI PM timer, any TSC of known rate, the tick itself; rates
 * the hardware does not state are calibrated against the HPET, else the PM timer, else the PIT.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void clock_init(void);   /* kmain step after interrupts_init: calibrate, start the tick */
uint64_t clock_ns(void); /* monotonic ns since boot (clock_init), never goes back */
/*
 * On an AP, interrupts off: its own tick, at keel.hz, counted in its struct cpu (ticks). False
 * when the boot CPU's tick is not one every CPU has (then only the boot CPU ticks).
 */
bool clock_start_this_cpu(void);
uint64_t clock_ticks(void);   /* ticks of keel.hz= (default 100) since the tick started */
void sleep_ms(uint64_t ms);   /* halts between ticks */
void clock_print_facts(void); /* boot facts: source, TSC and APIC timer Hz, reference */

/* The tick's rate (keel.hz=), and whether it is running. */
unsigned clock_tick_hz(void);
bool clock_tick_running(void);

/*
 * The calibration, checked over the time since: the CPU counter's rate measured against the same
 * reference from the first calibration sample to now, so over the whole boot.
 */
struct clock_check {
    const char *reference;  /* "HPET" */
    uint64_t calibrated_hz; /* the CPU counter's rate clock_init settled on */
    uint64_t measured_hz;   /* its rate over the longer span */
    uint64_t span_ms;       /* how long that span was */
    int64_t error_ppm;      /* (calibrated - measured) / measured, in parts per million */
};
/* false when no reference that keeps time calibrated the CPU counter (the PIT wraps too fast). */
bool clock_check_calibration(struct clock_check *check);
