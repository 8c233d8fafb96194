/*
 * Boundary cases of the frame allocator: ranges of length 0 at unaligned bases, usable edges
 * that fall inside a frame, the last frame of the span, and pmm_alloc_below's limit.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "tests/host/fake_ram.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)

/* [1 MiB, 2 MiB) is 256 frames; the bitmaps take the first. */
static const struct phys_range one_mib = {1 * MiB, 1 * MiB};

/* A length-0 exclusion at an unaligned base takes no frame, even the one its base lies in. */
static void test_zero_length_exclusion_takes_nothing(void **state)
{
    const struct phys_range excluded[] = {{0x180800, 0}, {0x100001, 0}, {0x1fffff, 0}};

    (void)state;
    pmm_init(&one_mib, 1, excluded, 3);
    assert_int_equal(pmm_total_count(), 255);
    assert_int_equal(pmm_bookkeeping().base, 1 * MiB);
}

/* A one-byte exclusion takes the whole frame it lies in, and only that one. */
static void test_one_byte_exclusion_takes_its_frame(void **state)
{
    const struct phys_range excluded[] = {{0x180fff, 1}};

    (void)state;
    pmm_init(&one_mib, 1, excluded, 1);
    assert_int_equal(pmm_total_count(), 254);
    expect_panic(pmm_free(0x180000));
    assert_non_null(strstr(panic_message, "excluded"));
}

/* Usable ranges of length 0, or shorter than a frame once their edges are rounded inward. */
static void test_usable_ranges_smaller_than_a_frame(void **state)
{
    const struct phys_range usable[] = {
        {0x300801, 0}, {0x310000, 0}, {0x320001, 0xfff}, {0x330001, 0x1ffe}, {1 * MiB, 1 * MiB}};

    (void)state;
    pmm_init(usable, 5, NULL, 0);
    /* Only the 1 MiB range has whole frames: nothing else widened the span. */
    assert_int_equal(pmm_total_count(), 255);
    assert_int_equal(pmm_bookkeeping().length, 4 * KiB);
    expect_panic(pmm_free(0x331000));
}

/* A range that ends one byte short of a frame does not get that frame. */
static void test_usable_edge_inside_a_frame(void **state)
{
    const struct phys_range usable[] = {{1 * MiB, 1 * MiB - 1}};

    (void)state;
    pmm_init(usable, 1, NULL, 0);
    assert_int_equal(pmm_total_count(), 254);
}

/* The span's last frame can be given back; the address just past it cannot. */
static void test_last_frame_of_the_span(void **state)
{
    (void)state;
    pmm_init(&one_mib, 1, NULL, 0);
    uint64_t frame;
    uint64_t last = 0;
    while ((frame = pmm_alloc()) != PMM_NO_FRAME)
        if (frame > last)
            last = frame;
    assert_int_equal(last, 2 * MiB - 4 * KiB);
    pmm_free(last);
    expect_panic(pmm_free(2 * MiB));
    assert_non_null(strstr(panic_message, "not a frame the allocator manages"));
    expect_panic(pmm_free(1 * MiB - 4 * KiB));
    assert_non_null(strstr(panic_message, "not a frame the allocator manages"));
}

/* pmm_alloc_below(limit) hands out frames wholly below limit, the last one included. */
static void test_alloc_below_its_limit(void **state)
{
    (void)state;
    pmm_init(&one_mib, 1, NULL, 0);
    /* Frame 0 holds the bitmaps; frames 1 and 2 lie below 1 MiB + 12 KiB. */
    assert_int_equal(pmm_alloc_below(1 * MiB + 12 * KiB), 1 * MiB + 4 * KiB);
    assert_int_equal(pmm_alloc_below(1 * MiB + 12 * KiB), 1 * MiB + 8 * KiB);
    assert_int_equal(pmm_alloc_below(1 * MiB + 12 * KiB), PMM_NO_FRAME);
    assert_int_equal(pmm_alloc_below(1 * MiB + 16 * KiB - 1), PMM_NO_FRAME);
    assert_int_equal(pmm_alloc_below(1 * MiB + 16 * KiB), 1 * MiB + 12 * KiB);
    assert_int_equal(pmm_alloc_below(1 * MiB), PMM_NO_FRAME);
    /* A limit of exactly 64 frames: the word's mask covers all of it. */
    assert_int_equal(pmm_alloc_below(1 * MiB + 64 * 4 * KiB), 1 * MiB + 16 * KiB);
}

/* The frame kept for starting other CPUs: the highest whole usable one below 1 MiB, not 0. */
static void test_real_mode_frame_below_1_mib(void **state)
{
    const struct phys_range bios[] = {{0, 0x9fc00}, one_mib};
    const struct phys_range to_1_mib[] = {{0x80000, 0x80000}, one_mib};
    const struct phys_range across_1_mib[] = {{0x80000, 2 * MiB}};
    const struct phys_range frame_one[] = {{0x1000, 0x1000}, one_mib};
    const struct phys_range frame_one_short[] = {{0x1000, 0xfff}, one_mib};
    const struct phys_range frame_zero[] = {{0, 0x1000}, one_mib};
    const struct phys_range last_byte_excluded[] = {{0xfffff, 1}};

    (void)state;
    pmm_init(bios, 2, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), 0x9e000); /* 0x9f000 is only partly usable */
    pmm_init(to_1_mib, 2, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), 0xff000);
    pmm_init(across_1_mib, 1, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), 0xff000);
    pmm_init(to_1_mib, 2, last_byte_excluded, 1);
    assert_int_equal(pmm_real_mode_frame(), 0xfe000);
    pmm_init(frame_one, 2, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), 0x1000);
    pmm_init(frame_one_short, 2, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), PMM_NO_FRAME);
    pmm_init(frame_zero, 2, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), PMM_NO_FRAME);
    pmm_init(&one_mib, 1, NULL, 0);
    assert_int_equal(pmm_real_mode_frame(), PMM_NO_FRAME);
    /* Never handed out: every frame pmm_alloc gives lies at or above 1 MiB. */
    pmm_init(to_1_mib, 2, NULL, 0);
    for (uint64_t frame; (frame = pmm_alloc()) != PMM_NO_FRAME;)
        assert_true(frame >= LOW_MEMORY_END);
}

int main(void)
{
#define TEST(f) fake_ram_test(f)
    const struct CMUnitTest tests[] = {
        TEST(test_zero_length_exclusion_takes_nothing),
        TEST(test_one_byte_exclusion_takes_its_frame),
        TEST(test_usable_ranges_smaller_than_a_frame),
        TEST(test_usable_edge_inside_a_frame),
        TEST(test_last_frame_of_the_span),
        TEST(test_alloc_below_its_limit),
        TEST(test_real_mode_frame_below_1_mib),
    };
    return cmocka_run_group_tests_name("frame allocator bounds", tests, NULL, NULL);
}
