/*
 * The clock's arithmetic, apart from any hardware so that the host tests can reach every corner
 * of it: a * b / c without overflow, counts of one rate scaled to another, counters that wrap,
 * and the keel.hz= value.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000ULL
#define NS_PER_MS  1000000ULL

/* a * b / c, rounded down, from the exact 128-bit product; UINT64_MAX when it does not fit (or c is
 * 0). */
uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c);

/*
 * Turns counts of a counter running at from_hz into units of to_hz (ns: NS_PER_SEC) with one
 * multiplication: count * mult >> CLOCK_SCALE_SHIFT, mult rounded down, so short by less than one
 * unit per 2^32 counts (a 3 GHz TSC in ns: 0.7 parts per billion). The product is 128 bits wide:
 * no count overflows it.
 */
#define CLOCK_SCALE_SHIFT 32
struct clock_scale {
    uint64_t mult;
};

/* false (and a scale that gives 0) when from_hz is 0, or to_hz / from_hz is 2^32 or more. */
bool clock_scale_init(struct clock_scale *scale, uint64_t from_hz, uint64_t to_hz);
uint64_t clock_scale_apply(const struct clock_scale *scale, uint64_t count);

/* How far a counter of `bits` bits (1-64) moved from `before` to `now`, across one wrap. */
uint64_t clock_wrap_delta(uint64_t now, uint64_t before, unsigned bits);

/*
 * A counter narrower than 64 bits (the 24-bit PM timer, a 32-bit HPET) widened to 64: update it
 * more often than the counter wraps, and total never wraps and never goes back.
 */
struct clock_extended {
    uint64_t last_raw;
    uint64_t total;
    unsigned bits;
};

void clock_extended_start(struct clock_extended *counter, uint64_t raw, unsigned bits);
uint64_t clock_extended_update(struct clock_extended *counter, uint64_t raw);

/*
 * The counter frequency a calibration measured: counter_delta counts while a reference at
 * reference_hz moved by reference_delta. 0 when reference_delta is 0.
 */
uint64_t clock_calibrated_hz(uint64_t counter_delta, uint64_t reference_delta,
                             uint64_t reference_hz);

/*
 * How far measured_hz is from reference_hz, in parts per million (negative: measured is low),
 * clamped to +-1000000 ppm beyond which the number means only "wrong".
 */
int64_t clock_error_ppm(uint64_t measured_hz, uint64_t reference_hz);

/* keel.hz=: the tick's rate, in ticks per second. */
#define CLOCK_HZ_DEFAULT 100
#define CLOCK_HZ_MIN     19   /* the PIT (the tick without APICs) goes no slower than 18.2 Hz */
#define CLOCK_HZ_MAX     1000 /* a tick every millisecond: sleep_ms's finest step */

/* A decimal number in [CLOCK_HZ_MIN, CLOCK_HZ_MAX], digits only; false for anything else. */
bool clock_parse_hz(const char *text, unsigned *hz);
