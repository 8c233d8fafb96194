/*
 * The clock's arithmetic (kernel/clock_math.c): a * b / c across 64 bits, scaling, wrapping
 * counters, calibration ratios and keel.hz= at both ends of its range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/clock_math.h"

static void test_muldiv_small_values_are_exact(void **state)
{
    (void)state;
    assert_int_equal(clock_muldiv(6, 7, 3), 14);
    assert_int_equal(clock_muldiv(10, 10, 3), 33); /* rounded down */
    assert_int_equal(clock_muldiv(0, UINT64_MAX, 1), 0);
}

static void test_muldiv_keeps_the_product_past_64_bits(void **state)
{
    (void)state;
    /* 2^63 * 6 / 4 = 3 * 2^62: the product needs 66 bits. */
    assert_true(clock_muldiv(1ULL << 63, 6, 4) == 3ULL << 62);
    assert_true(clock_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX) == UINT64_MAX);
    /* 3 GHz for a day, in ns: 2.6e14 * 1e9 overflows 64 bits, the quotient does not. */
    uint64_t cycles = 3000000000ULL * 86400;
    assert_true(clock_muldiv(cycles, 1000000000ULL, 3000000000ULL) == 86400ULL * 1000000000ULL);
    /* The remainder's shift carries out of 64 bits: c above 2^63. */
    uint64_t c = (1ULL << 63) + 1;
    assert_true(clock_muldiv(c - 1, 3, c) == 2);
}

static void test_muldiv_reports_a_quotient_that_does_not_fit(void **state)
{
    (void)state;
    assert_true(clock_muldiv(1, 1, 0) == UINT64_MAX);
    /* 2^64 exactly does not fit; one less does. */
    assert_true(clock_muldiv(1ULL << 32, 1ULL << 32, 1) == UINT64_MAX);
    assert_true(clock_muldiv(UINT64_MAX, 2, 2) == UINT64_MAX - 0);
    assert_true(clock_muldiv(1ULL << 32, 1ULL << 32, 2) == 1ULL << 63);
}

static void test_scale_to_ns(void **state)
{
    struct clock_scale scale;

    (void)state;
    assert_true(clock_scale_init(&scale, 3579545, NS_PER_SEC));
    assert_true(clock_scale_apply(&scale, 3579545) >= NS_PER_SEC - 1);
    assert_true(clock_scale_apply(&scale, 3579545) <= NS_PER_SEC);
    /*
     * A TSC at 2.9 GHz after a year: short by less than one ns per 2^32 cycles (the scale is
     * rounded down), 21 ms a year, 0.7 parts per billion.
     */
    assert_true(clock_scale_init(&scale, 2900000000ULL, NS_PER_SEC));
    uint64_t year_ns = 365ULL * 86400 * NS_PER_SEC, cycles = 2900000000ULL * 365 * 86400;
    uint64_t ns = clock_scale_apply(&scale, cycles);
    assert_true(ns <= year_ns && year_ns - ns <= (cycles >> CLOCK_SCALE_SHIFT) + 1);
    assert_int_equal(clock_scale_apply(&scale, 0), 0);
}

static void test_scale_refuses_what_it_cannot_hold(void **state)
{
    struct clock_scale scale;

    (void)state;
    assert_false(clock_scale_init(&scale, 0, NS_PER_SEC));
    assert_int_equal(clock_scale_apply(&scale, 12345), 0);
    /* to / from must stay below 2^32: exactly 2^32 is refused, one Hz more is not. */
    assert_false(clock_scale_init(&scale, 1, 1ULL << 32));
    assert_true(clock_scale_init(&scale, 2, 1ULL << 32));
    /* A scaled count past 2^64 saturates. */
    assert_true(clock_scale_init(&scale, 1, 1000));
    assert_true(clock_scale_apply(&scale, UINT64_MAX) == UINT64_MAX);
}

static void test_wrap_delta_across_the_wrap(void **state)
{
    (void)state;
    assert_int_equal(clock_wrap_delta(5, 0xfffffe, 24), 7);
    assert_int_equal(clock_wrap_delta(0x000010, 0x000008, 24), 8);
    assert_int_equal(clock_wrap_delta(0, 0xffffffff, 32), 1);
    assert_int_equal(clock_wrap_delta(3, 0xffff, 16), 4);
    assert_true(clock_wrap_delta(1, UINT64_MAX, 64) == 2);
    /* Same value: no time, not a whole wrap. */
    assert_int_equal(clock_wrap_delta(0x123456, 0x123456, 24), 0);
}

static void test_extended_counter_widens_a_24_bit_timer(void **state)
{
    struct clock_extended counter;

    (void)state;
    clock_extended_start(&counter, 0xfffff0, 24);
    assert_int_equal(clock_extended_update(&counter, 0xffffff), 0xf);
    assert_int_equal(clock_extended_update(&counter, 0x000001), 0x11);
    /* Three more wraps, each seen half way. */
    uint64_t raw = 1;
    for (int i = 0; i < 6; i++) {
        raw = (raw + 0x800000) & 0xffffff;
        clock_extended_update(&counter, raw);
    }
    assert_int_equal(counter.total, 0x11 + 3 * 0x1000000);
    /* Never goes back: the same reading adds nothing. */
    assert_int_equal(clock_extended_update(&counter, raw), 0x11 + 3 * 0x1000000);
}

static void test_calibrated_hz(void **state)
{
    (void)state;
    /* 50 ms of the PM timer (178977 ticks) and 145 million TSC cycles: 2.9 GHz. */
    uint64_t hz = clock_calibrated_hz(145000000, 178977, 3579545);
    assert_true(hz > 2899990000ULL && hz < 2900010000ULL);
    assert_int_equal(clock_calibrated_hz(1000, 0, 3579545), 0);
}

static void test_error_ppm(void **state)
{
    (void)state;
    assert_int_equal(clock_error_ppm(1000100, 1000000), 100);
    assert_int_equal(clock_error_ppm(999900, 1000000), -100);
    assert_int_equal(clock_error_ppm(1000000, 1000000), 0);
    assert_int_equal(clock_error_ppm(5000000, 1000000), 1000000);
    assert_int_equal(clock_error_ppm(0, 1000000), -1000000);
    assert_int_equal(clock_error_ppm(5, 0), 1000000);
}

static void test_hz_range_both_ends(void **state)
{
    unsigned hz = 7;

    (void)state;
    assert_false(clock_parse_hz("18", &hz));
    assert_int_equal(hz, 7);
    assert_true(clock_parse_hz("19", &hz));
    assert_int_equal(hz, CLOCK_HZ_MIN);
    assert_true(clock_parse_hz("1000", &hz));
    assert_int_equal(hz, CLOCK_HZ_MAX);
    assert_false(clock_parse_hz("1001", &hz));
    assert_int_equal(hz, CLOCK_HZ_MAX);
    assert_true(clock_parse_hz("100", &hz));
    assert_int_equal(hz, 100);
}

static void test_hz_refuses_what_is_not_a_number(void **state)
{
    unsigned hz = 100;

    (void)state;
    assert_false(clock_parse_hz(NULL, &hz));
    assert_false(clock_parse_hz("", &hz));
    assert_false(clock_parse_hz("0", &hz));
    assert_false(clock_parse_hz("-100", &hz));
    assert_false(clock_parse_hz("+100", &hz));
    assert_false(clock_parse_hz("100Hz", &hz));
    assert_false(clock_parse_hz(" 100", &hz));
    /* Far past the range, and past 2^32: refused, not wrapped round to something valid. */
    assert_false(clock_parse_hz("4294967396", &hz));
    assert_false(clock_parse_hz("99999999999999999999100", &hz));
    assert_int_equal(hz, 100);
    /* Leading zeros are still the number. */
    assert_true(clock_parse_hz("0250", &hz));
    assert_int_equal(hz, 250);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_muldiv_small_values_are_exact),
        cmocka_unit_test(test_muldiv_keeps_the_product_past_64_bits),
        cmocka_unit_test(test_muldiv_reports_a_quotient_that_does_not_fit),
        cmocka_unit_test(test_scale_to_ns),
        cmocka_unit_test(test_scale_refuses_what_it_cannot_hold),
        cmocka_unit_test(test_wrap_delta_across_the_wrap),
        cmocka_unit_test(test_extended_counter_widens_a_24_bit_timer),
        cmocka_unit_test(test_calibrated_hz),
        cmocka_unit_test(test_error_ppm),
        cmocka_unit_test(test_hz_range_both_ends),
        cmocka_unit_test(test_hz_refuses_what_is_not_a_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
