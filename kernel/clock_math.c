/* The clock's arithmetic (kernel/clock_math.h): no hardware here, every line host-tested. */
#include "kernel/clock_math.h"

uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c)
{
    unsigned __int128 product = (unsigned __int128)a * b;
    uint64_t high = (uint64_t)(product >> 64), low = (uint64_t)product;

    if (c == 0 || high >= c)
        return UINT64_MAX;
    /*
     * Long division, a bit at a time (a 128-bit `/` would need a runtime helper the kernel does
     * not link). The remainder stays below c; shifting it left may carry out of 64 bits, and then
     * it is certainly at least c.
     */
    uint64_t remainder = high, quotient = 0;
    for (int bit = 63; bit >= 0; bit--) {
        bool carry = remainder >> 63;
        remainder = remainder << 1 | (low >> bit & 1);
        quotient <<= 1;
        if (carry || remainder >= c) {
            remainder -= c;
            quotient |= 1;
        }
    }
    return quotient;
}

bool clock_scale_init(struct clock_scale *scale, uint64_t from_hz, uint64_t to_hz)
{
    scale->mult = 0;
    if (from_hz == 0)
        return false;
    uint64_t mult = clock_muldiv(to_hz, 1ULL << CLOCK_SCALE_SHIFT, from_hz);
    if (mult == UINT64_MAX)
        return false;
    scale->mult = mult;
    return true;
}

uint64_t clock_scale_apply(const struct clock_scale *scale, uint64_t count)
{
    unsigned __int128 scaled = (unsigned __int128)count * scale->mult >> CLOCK_SCALE_SHIFT;

    return scaled > UINT64_MAX ? UINT64_MAX : (uint64_t)scaled;
}

uint64_t clock_wrap_delta(uint64_t now, uint64_t before, unsigned bits)
{
    uint64_t mask = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;

    return (now - before) & mask;
}

void clock_extended_start(struct clock_extended *counter, uint64_t raw, unsigned bits)
{
    *counter = (struct clock_extended){.last_raw = raw, .total = 0, .bits = bits};
}

uint64_t clock_extended_update(struct clock_extended *counter, uint64_t raw)
{
    counter->total += clock_wrap_delta(raw, counter->last_raw, counter->bits);
    counter->last_raw = raw;
    return counter->total;
}

uint64_t clock_calibrated_hz(uint64_t counter_delta, uint64_t reference_delta,
                             uint64_t reference_hz)
{
    if (reference_delta == 0)
        return 0;
    return clock_muldiv(counter_delta, reference_hz, reference_delta);
}

#define PPM 1000000

int64_t clock_error_ppm(uint64_t measured_hz, uint64_t reference_hz)
{
    if (reference_hz == 0)
        return PPM;
    bool low = measured_hz < reference_hz;
    uint64_t difference = low ? reference_hz - measured_hz : measured_hz - reference_hz;
    uint64_t ppm = clock_muldiv(difference, PPM, reference_hz);

    if (ppm > PPM)
        ppm = PPM;
    return low ? -(int64_t)ppm : (int64_t)ppm;
}

bool clock_parse_hz(const char *text, unsigned *hz)
{
    unsigned value = 0;

    if (text == NULL || *text == '\0')
        return false;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        value = value * 10 + (unsigned)(*c - '0');
        if (value > CLOCK_HZ_MAX)
            return false; /* already too big, and so no overflow however long the text */
    }
    if (value < CLOCK_HZ_MIN)
        return false;
    *hz = value;
    return true;
}
