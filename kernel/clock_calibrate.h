/*
 * Calibration: how fast a counter of unknown rate (the TSC, the local APIC timer) runs, measured
 * against a reference timer whose rate is known (the HPET, the ACPI PM timer, the PIT). Portable:
 * the counters are functions the architecture hands over, and the host tests hand over fakes,
 * stuck, wrapping and slow ones among them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A hardware counter that counts up and wraps at 2^bits. */
struct clock_counter {
    const char *name; /* "TSC", "HPET", "PM timer", "PIT", "APIC timer" */
    uint64_t (*read)(void);
    unsigned bits; /* 1-64 */
    uint64_t hz;   /* its rate; 0 while it is not known */
};

/* How long the reference is watched: long enough that a read's latency is lost in it. */
#define CLOCK_CALIBRATION_MS 10
/* The most counters measured in one window. */
#define CLOCK_CALIBRATION_COUNTERS 2
/*
 * A reference that reads the same this many times in a row has stopped (or was never there: a
 * missing device reads as all ones). Counting at 1 MHz or more it moves every microsecond, and
 * no read takes as little as 10 ns.
 */
#define CLOCK_STUCK_READS 100000
/* No window takes more reads than this: 10 ms is some 10^4 reads at the fastest. */
#define CLOCK_CALIBRATION_MAX_READS 20000000
/*
 * A sample is the counters read between two reads of the reference: the tightest of this many,
 * so that one delayed read (an SMI, a hypervisor's lock) does not skew it.
 */
#define CLOCK_SAMPLE_TRIES 8

struct clock_calibration {
    const char *failure;      /* NULL when the reference worked; else why not, for one line */
    uint64_t reference_start; /* the reference's raw count at the first sample */
    uint64_t reference_ticks; /* how far it moved from the first sample to the last */
    uint64_t counter_start[CLOCK_CALIBRATION_COUNTERS]; /* raw counts at the first sample */
    uint64_t hz[CLOCK_CALIBRATION_COUNTERS];            /* the rates measured */
};

/*
 * Measures the rates of counters[0..count) (count at most CLOCK_CALIBRATION_COUNTERS) while the
 * reference moves by window_ms of its own time. Every loop is bounded: returns false, with
 * out->failure saying why, when the reference does not move, stops moving, or is too slow to
 * cover the window in CLOCK_CALIBRATION_MAX_READS reads. Run with interrupts off.
 */
bool clock_calibrate(const struct clock_counter *reference,
                     const struct clock_counter *const counters[], size_t count, unsigned window_ms,
                     struct clock_calibration *out);
