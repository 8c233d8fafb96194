/* Calibrating counters against a reference timer (kernel/clock_calibrate.h). */
#include "kernel/clock_calibrate.h"

#include "kernel/clock_math.h"

/* The reference, widened to 64 bits as it is read, and how often it read the same. */
struct reference_watch {
    const struct clock_counter *timer;
    struct clock_extended count;
    unsigned long reads, same_reads;
    const char *failure;
};

static uint64_t watch_read(struct reference_watch *watch)
{
    uint64_t before = watch->count.total;
    uint64_t now = clock_extended_update(&watch->count, watch->timer->read());

    watch->reads++;
    watch->same_reads = now == before ? watch->same_reads + 1 : 0;
    if (watch->same_reads >= CLOCK_STUCK_READS)
        watch->failure = watch->reads == watch->same_reads ? "does not count" : "stopped counting";
    else if (watch->reads >= CLOCK_CALIBRATION_MAX_READS)
        watch->failure = "counts too slowly";
    return now;
}

/*
 * Reads the counters between two reads of the reference; *at is where the reference was
 * meanwhile (halfway). The tightest of CLOCK_SAMPLE_TRIES tries: a read that had to wait (for
 * an SMI, or on a hypervisor's lock) spreads its try, and the others are taken instead.
 */
static void take_sample(struct reference_watch *watch, const struct clock_counter *const counters[],
                        size_t count, uint64_t *at, uint64_t values[])
{
    uint64_t best_apart = UINT64_MAX;

    for (unsigned try = 0; try < CLOCK_SAMPLE_TRIES; try++) {
        uint64_t tried[CLOCK_CALIBRATION_COUNTERS];
        uint64_t before = watch_read(watch);
        for (size_t i = 0; i < count; i++)
            tried[i] = counters[i]->read();
        uint64_t after = watch_read(watch);
        if (after - before < best_apart) {
            best_apart = after - before;
            *at = before + best_apart / 2;
            for (size_t i = 0; i < count; i++)
                values[i] = tried[i];
        }
    }
}

bool clock_calibrate(const struct clock_counter *reference,
                     const struct clock_counter *const counters[], size_t count, unsigned window_ms,
                     struct clock_calibration *out)
{
    struct reference_watch watch = {.timer = reference};
    uint64_t start_values[CLOCK_CALIBRATION_COUNTERS] = {0}, end_values[CLOCK_CALIBRATION_COUNTERS];
    uint64_t start = 0, end = 0, now;

    *out = (struct clock_calibration){0};
    if (count > CLOCK_CALIBRATION_COUNTERS || reference->hz == 0) {
        out->failure = "cannot calibrate";
        return false;
    }
    uint64_t window = clock_muldiv(reference->hz, window_ms, 1000);

    uint64_t first_raw = reference->read();
    clock_extended_start(&watch.count, first_raw, reference->bits);
    /* Until it first moves: a reference that never does is not there. */
    do
        now = watch_read(&watch);
    while (now == 0 && !watch.failure);
    if (!watch.failure)
        take_sample(&watch, counters, count, &start, start_values);
    for (now = start; !watch.failure && now - start < window;)
        now = watch_read(&watch);
    if (!watch.failure)
        take_sample(&watch, counters, count, &end, end_values);
    if (watch.failure) {
        out->failure = watch.failure;
        return false;
    }

    out->reference_start = clock_wrap_delta(first_raw + start, 0, reference->bits);
    out->reference_ticks = end - start;
    for (size_t i = 0; i < count; i++) {
        uint64_t delta = clock_wrap_delta(end_values[i], start_values[i], counters[i]->bits);
        out->counter_start[i] = start_values[i];
        out->hz[i] = clock_calibrated_hz(delta, out->reference_ticks, reference->hz);
    }
    return true;
}
