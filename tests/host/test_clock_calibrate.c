/*
 * Calibration (kernel/clock_calibrate.c) against fake timers on a fake time line: each read of
 * any timer takes READ_NS. References that wrap, that never count, that stop, that are far slower
 * than they claim, and a read delayed in the middle of a sample.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/clock_calibrate.h"
#include "kernel/clock_math.h"

#define READ_NS 200

static uint64_t now_ns;
/* Reads of the reference, and the ones after which it stops, or after which one is delayed. */
static uint64_t reference_reads, stop_after, delay_at, delay_ns;
static uint64_t reference_true_hz; /* how fast the fake reference really counts */
static uint64_t reference_mask;

static uint64_t at_rate(uint64_t hz)
{
    return clock_muldiv(now_ns, hz, NS_PER_SEC);
}

static uint64_t fake_reference(void)
{
    static uint64_t frozen;

    now_ns += READ_NS;
    reference_reads++;
    if (reference_reads == delay_at)
        now_ns += delay_ns;
    if (stop_after && reference_reads > stop_after)
        return frozen;
    frozen = at_rate(reference_true_hz) & reference_mask;
    return frozen;
}

static uint64_t all_ones(void)
{
    now_ns += READ_NS;
    return 0xffffff;
}

#define TSC_HZ 2900000000ULL
static uint64_t fake_tsc(void)
{
    now_ns += READ_NS;
    return at_rate(TSC_HZ) + 12345;
}

/* A 32-bit counter at 1 GHz that starts near its wrap: the local APIC timer, counted upwards. */
#define APIC_HZ 1000000000ULL
static uint64_t fake_apic(void)
{
    now_ns += READ_NS;
    return (at_rate(APIC_HZ) + 0xfff00000ULL) & 0xffffffffULL;
}

static const struct clock_counter tsc = {"TSC", fake_tsc, 64, 0};
static const struct clock_counter apic = {"APIC timer", fake_apic, 32, 0};

static int reset(void **state)
{
    (void)state;
    now_ns = 1000000;
    reference_reads = stop_after = delay_at = delay_ns = 0;
    return 0;
}

static struct clock_counter reference(const char *name, uint64_t hz, unsigned bits)
{
    reference_true_hz = hz;
    reference_mask = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
    return (struct clock_counter){name, fake_reference, bits, hz};
}

static void assert_near(uint64_t measured, uint64_t expected, uint64_t max_ppm)
{
    int64_t ppm = clock_error_ppm(measured, expected);
    if (ppm < -(int64_t)max_ppm || ppm > (int64_t)max_ppm)
        fail_msg("measured %llu, expected %llu: %lld ppm off", (unsigned long long)measured,
                 (unsigned long long)expected, (long long)ppm);
}

static void calibrates_against(struct clock_counter ref, unsigned window_ms)
{
    const struct clock_counter *counters[] = {&tsc, &apic};
    struct clock_calibration result;

    assert_true(clock_calibrate(&ref, counters, 2, window_ms, &result));
    assert_null(result.failure);
    /* Reads of 200 ns in a window of 10 ms: a few ppm at most. */
    assert_near(result.hz[0], TSC_HZ, 20);
    assert_near(result.hz[1], APIC_HZ, 20);
    assert_near(result.reference_ticks, clock_muldiv(ref.hz, window_ms, 1000), 1000);
}

static void test_against_a_64_bit_hpet(void **state)
{
    (void)state;
    calibrates_against(reference("HPET", 100000000, 64), CLOCK_CALIBRATION_MS);
}

static void test_against_a_24_bit_pm_timer(void **state)
{
    (void)state;
    calibrates_against(reference("PM timer", 3579545, 24), CLOCK_CALIBRATION_MS);
}

/* 200 ms of a PIT that wraps every 55 ms: each wrap is followed. */
static void test_against_a_wrapping_pit(void **state)
{
    (void)state;
    calibrates_against(reference("PIT", 1193182, 16), 200);
}

static void test_the_first_sample_starts_where_the_reference_was(void **state)
{
    struct clock_counter ref = reference("PM timer", 3579545, 24);
    const struct clock_counter *counters[] = {&tsc};
    struct clock_calibration result;

    (void)state;
    assert_true(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    /* The TSC's start and the reference's belong together: both at the same moment. */
    uint64_t tsc_ns = clock_muldiv(result.counter_start[0] - 12345, NS_PER_SEC, TSC_HZ);
    uint64_t ref_ns = clock_muldiv(result.reference_start, NS_PER_SEC, 3579545);
    assert_true(tsc_ns > ref_ns ? tsc_ns - ref_ns < 2000 : ref_ns - tsc_ns < 2000);
}

static void test_a_missing_timer_is_found_out(void **state)
{
    struct clock_counter missing = {"PM timer", all_ones, 24, 3579545};
    const struct clock_counter *counters[] = {&tsc};
    struct clock_calibration result;

    (void)state;
    assert_false(clock_calibrate(&missing, counters, 1, CLOCK_CALIBRATION_MS, &result));
    assert_string_equal(result.failure, "does not count");
}

static void test_a_timer_that_stops_is_found_out(void **state)
{
    struct clock_counter ref = reference("HPET", 100000000, 64);
    const struct clock_counter *counters[] = {&tsc};
    struct clock_calibration result;

    (void)state;
    stop_after = 1000;
    assert_false(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    assert_string_equal(result.failure, "stopped counting");
    assert_true(reference_reads <= 1000 + CLOCK_STUCK_READS + 1);
}

/* It moves, but a thousand times slower than it claims: the reads run out first. */
static void test_a_timer_far_too_slow_is_found_out(void **state)
{
    struct clock_counter ref = reference("HPET", 100000000, 64);
    const struct clock_counter *counters[] = {&tsc};
    struct clock_calibration result;

    (void)state;
    reference_true_hz = 100000;
    assert_false(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    assert_string_equal(result.failure, "counts too slowly");
    assert_true(reference_reads <= CLOCK_CALIBRATION_MAX_READS + 1); /* and the first */
}

/* A millisecond lost between the two reads of the reference around the last sample. */
static void test_a_delayed_sample_is_taken_again(void **state)
{
    struct clock_counter ref = reference("PM timer", 3579545, 24);
    const struct clock_counter *counters[] = {&tsc};
    struct clock_calibration result;

    (void)state;
    /* Count the reads of an undisturbed run, then delay the first read of its last sample. */
    assert_true(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    uint64_t reads = reference_reads;
    reset(NULL);
    delay_at = reads; /* the second read of the last sample's first try */
    delay_ns = 1000000;
    assert_true(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    assert_near(result.hz[0], TSC_HZ, 50);
}

static void test_too_many_counters_or_no_rate_refused(void **state)
{
    struct clock_counter ref = reference("HPET", 100000000, 64);
    const struct clock_counter *counters[] = {&tsc, &apic, &tsc};
    struct clock_calibration result;

    (void)state;
    assert_false(clock_calibrate(&ref, counters, 3, CLOCK_CALIBRATION_MS, &result));
    assert_non_null(result.failure);
    ref.hz = 0;
    assert_false(clock_calibrate(&ref, counters, 1, CLOCK_CALIBRATION_MS, &result));
    assert_int_equal(reference_reads, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_against_a_64_bit_hpet, reset),
        cmocka_unit_test_setup(test_against_a_24_bit_pm_timer, reset),
        cmocka_unit_test_setup(test_against_a_wrapping_pit, reset),
        cmocka_unit_test_setup(test_the_first_sample_starts_where_the_reference_was, reset),
        cmocka_unit_test_setup(test_a_missing_timer_is_found_out, reset),
        cmocka_unit_test_setup(test_a_timer_that_stops_is_found_out, reset),
        cmocka_unit_test_setup(test_a_timer_far_too_slow_is_found_out, reset),
        cmocka_unit_test_setup(test_a_delayed_sample_is_taken_again, reset),
        cmocka_unit_test_setup(test_too_many_counters_or_no_rate_refused, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
