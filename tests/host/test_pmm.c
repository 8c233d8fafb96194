/* Host tests for the physical memory manager, on a malloc'd block standing in for low RAM. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/fake_ram.h"
#include "tests/host/panic_double.h"

#include "kernel/compiler.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

static bool inside(uint64_t frame, struct phys_range r)
{
    return frame + PAGE_SIZE > r.base && frame < r.base + r.length;
}

struct memory_map {
    const struct phys_range *usable;
    size_t usable_count;
    const struct phys_range *excluded;
    size_t excluded_count;
};

/*
 * Takes every frame, checking each against the map; then gives them all back. Returns how many
 * frames lay at or above 4 GiB.
 */
static size_t drain_and_refill(const struct memory_map *map, size_t expected_total)
{
    size_t total = pmm_total_count();
    uint64_t *frames = malloc(total * sizeof(uint64_t));
    uint64_t highest = 0;
    size_t above_4g = 0;

    assert_int_equal(total, expected_total);
    assert_int_equal(pmm_free_count(), total);
    assert_int_equal(pmm_used_count(), 0);
    assert_non_null(frames);

    for (size_t i = 0; i < map->usable_count; i++)
        if (map->usable[i].base + map->usable[i].length > highest)
            highest = map->usable[i].base + map->usable[i].length;
    unsigned char *seen = calloc(highest / PAGE_SIZE / 8 + 1, 1);
    assert_non_null(seen);

    struct phys_range bookkeeping = pmm_bookkeeping();
    for (size_t n = 0; n < total; n++) {
        uint64_t frame = pmm_alloc();
        assert_int_not_equal(frame, PMM_NO_FRAME);
        assert_true(frame % PAGE_SIZE == 0);
        assert_true(frame >= 1 * MiB);

        /* Wholly inside some usable range. */
        bool usable = false;
        for (size_t i = 0; i < map->usable_count; i++)
            if (frame >= map->usable[i].base &&
                frame + PAGE_SIZE <= map->usable[i].base + map->usable[i].length)
                usable = true;
        assert_true(usable);

        for (size_t i = 0; i < map->excluded_count; i++)
            assert_false(inside(frame, map->excluded[i]));
        assert_false(inside(frame, bookkeeping));

        uint64_t index = frame / PAGE_SIZE;
        assert_false(seen[index / 8] & (1u << (index % 8)));
        seen[index / 8] |= (unsigned char)(1u << (index % 8));

        if (frame >= 4 * GiB)
            above_4g++;
        frames[n] = frame;
        assert_int_equal(pmm_free_count(), total - n - 1);
    }
    assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
    assert_int_equal(pmm_alloc_below(UINT64_MAX), PMM_NO_FRAME);
    assert_int_equal(pmm_used_count(), total);

    /* Back in a different order from the one they left in. */
    for (size_t n = total; n-- > 0;)
        pmm_free(frames[n]);
    assert_int_equal(pmm_free_count(), total);
    assert_int_equal(pmm_used_count(), 0);
    assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);

    free(seen);
    free(frames);
    return above_4g;
}

/* Frames the two bitmaps occupy for a span of the given number of frames. */
static uint64_t bookkeeping_frames(uint64_t span_frames)
{
    uint64_t bytes = 2 * ((span_frames + 63) / 64) * 8;
    return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

static void test_small_map(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {
        {0x0, 0x9fc00},     /* conventional memory: below 1 MiB, never used */
        {1 * MiB, 7 * MiB}, /* 1 MiB .. 8 MiB */
    };
    static const struct phys_range excluded[] = {
        {1 * MiB, 512 * KiB}, /* kernel image */
        {0x200123, 0x333},    /* boot information: touches one frame */
        {0x300800, 0x2000},   /* a module: unaligned, touches three frames */
    };
    const struct memory_map map = {usable, 2, excluded, 3};

    pmm_init(usable, 2, excluded, 3);

    /* The bitmaps go to the lowest free place: just after the kernel. */
    assert_int_equal(pmm_bookkeeping().base, 0x180000);
    assert_int_equal(pmm_bookkeeping().length, PAGE_SIZE);
    drain_and_refill(&map, 7 * MiB / PAGE_SIZE - 128 - 1 - 3 - 1);
}

/* 6 GiB of RAM: 3 GiB below the PCI hole at 3..4 GiB, 3 GiB above 4 GiB. */
static void test_six_gib_with_hole(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {
        {4 * GiB, 3 * GiB},
        {0x0, 0x9fc00},
        {1 * MiB, 3 * GiB - 1 * MiB},
    };
    static const struct phys_range excluded[] = {
        {1 * MiB, 2 * MiB},              /* kernel image */
        {3 * MiB + 4 * KiB, 4 * KiB},    /* boot information: leaves a 1-frame gap at 3 MiB */
        {0xfd000000, 8 * MiB},           /* framebuffer, inside the hole: no effect */
        {5 * GiB + 12 * KiB, 100 * KiB}, /* a module above 4 GiB */
    };
    const struct memory_map map = {usable, 3, excluded, 4};

    pmm_init(usable, 3, excluded, 4);

    uint64_t span = (7 * GiB - 1 * MiB) / PAGE_SIZE;
    uint64_t bitmap = bookkeeping_frames(span);
    assert_int_equal(bitmap, 112); /* 448 KiB for a 7 GiB span, as pmm.c says */
    /* The 1-frame gap at 3 MiB is too small: the bitmaps go after the boot information. */
    assert_int_equal(pmm_bookkeeping().base, 3 * MiB + 8 * KiB);
    assert_int_equal(pmm_bookkeeping().length, bitmap * PAGE_SIZE);

    uint64_t expected =
        (3 * GiB - 1 * MiB) / PAGE_SIZE + 3 * GiB / PAGE_SIZE - 512 - 1 - 25 - bitmap;
    size_t above_4g = drain_and_refill(&map, expected);
    assert_int_equal(above_4g, 3 * GiB / PAGE_SIZE - 25);
}

/* Unaligned edges round inward, overlapping entries count once, exclusions round outward. */
static void test_unaligned_and_overlapping(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {
        {0x100800, 0x5000}, /* whole frames 0x101000..0x105000 */
        {0x103000, 0x5000}, /* overlaps: union is 0x101000..0x108000 */
        {0x103000, 0x5000}, /* listed twice */
        {0x80000, 0x81000}, /* straddles 1 MiB: only 0x100000..0x101000 counts */
        {0x10000, 0x800},   /* less than a frame below 1 MiB */
        {0x200000, 0x1800}, /* one and a half frames: only 0x200000 counts */
    };
    static const struct phys_range excluded[] = {
        {0x104000, 0x1000},
        {0x104800, 0x1000}, /* overlaps the one above: together 0x104000..0x106000 */
        {0x200000, 0},      /* empty: excludes nothing */
    };
    const struct memory_map map = {usable, 6, excluded, 3};

    pmm_init(usable, 6, excluded, 3);
    assert_int_equal(pmm_bookkeeping().base, 0x100000);

    static const uint64_t want[] = {0x101000, 0x102000, 0x103000, 0x106000, 0x107000, 0x200000};
    uint64_t got[ARRAY_SIZE(want)];
    for (size_t i = 0; i < ARRAY_SIZE(want); i++)
        got[i] = pmm_alloc();
    assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
    assert_memory_equal(got, want, sizeof(want));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++)
        pmm_free(got[i]);

    drain_and_refill(&map, ARRAY_SIZE(want));
}

/* The first MiB is never handed out, even when no one asks for it to be excluded. */
static void test_first_mib_never_used(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {{0x0, 2 * MiB}};

    pmm_init(usable, 1, NULL, 0);
    assert_int_equal(pmm_total_count(), 256 - 1);
    for (uint64_t frame; (frame = pmm_alloc()) != PMM_NO_FRAME;)
        assert_true(frame >= 1 * MiB && frame < 2 * MiB);
    expect_panic(pmm_free(0x0));
    expect_panic(pmm_free(0x9f000));
}

static void test_bad_free_panics(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {
        {1 * MiB, 3 * MiB}, {8 * MiB, 1 * MiB}, /* hole at 4..8 MiB */
    };
    static const struct phys_range excluded[] = {{2 * MiB, 64 * KiB}};

    pmm_init(usable, 2, excluded, 1);
    uint64_t frame = pmm_alloc();
    pmm_free(frame);

    expect_panic(pmm_free(frame));
    assert_non_null(strstr(panic_message, "double free"));
    expect_panic(pmm_free(frame + 0x10));
    assert_non_null(strstr(panic_message, "not a frame"));
    expect_panic(pmm_free(0x0));
    expect_panic(pmm_free(9 * MiB));  /* just past the top */
    expect_panic(pmm_free(64 * GiB)); /* far past it */
    expect_panic(pmm_free(5 * MiB));  /* in the hole */
    assert_non_null(strstr(panic_message, "hole"));
    expect_panic(pmm_free(2 * MiB + 4 * KiB)); /* excluded */
    expect_panic(pmm_free(pmm_bookkeeping().base));

    /* None of that changed the books. */
    assert_int_equal(pmm_free_count(), pmm_total_count());
}

static void test_alloc_below(void **state)
{
    (void)state;
    static const struct phys_range usable[] = {{1 * MiB, 63 * MiB}};

    pmm_init(usable, 1, NULL, 0);
    size_t total = pmm_total_count();
    assert_int_equal(pmm_alloc_below(1 * MiB), PMM_NO_FRAME);
    assert_int_equal(pmm_alloc_below(1 * MiB + PAGE_SIZE - 1), PMM_NO_FRAME);

    /* A limit that is not frame-aligned, in the middle of a bitmap word: 100 whole frames. */
    const uint64_t limit = 1 * MiB + 100 * PAGE_SIZE + 0x800;
    size_t below = 0;
    for (uint64_t frame; (frame = pmm_alloc_below(limit)) != PMM_NO_FRAME; below++)
        assert_true(frame + PAGE_SIZE <= limit);
    assert_int_equal(below, 100 - 1); /* less the bitmap frame at 1 MiB */

    /* Memory above the limit is still there for everyone else. */
    uint64_t frame = pmm_alloc();
    assert_true(frame >= 1 * MiB + 100 * PAGE_SIZE);
    assert_int_equal(pmm_free_count(), total - below - 1);
}

static void test_no_usable_memory_panics(void **state)
{
    (void)state;
    static const struct phys_range low_only[] = {{0x0, 0x9fc00}};
    static const struct phys_range beyond_window[] = {{32 * MiB, 32 * MiB}};
    static const struct phys_range all_excluded[] = {{1 * MiB, 1 * MiB}};

    expect_panic(pmm_init(low_only, 1, NULL, 0));
    expect_panic(pmm_init(NULL, 0, NULL, 0));
    /* The bitmaps must lie where the window reaches, or the allocator could not write them. */
    expect_panic(pmm_init(beyond_window, 1, NULL, 0));
    assert_non_null(strstr(panic_message, "no room"));
    expect_panic(pmm_init(all_excluded, 1, all_excluded, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fake_ram_test(test_small_map),
        fake_ram_test(test_six_gib_with_hole),
        fake_ram_test(test_unaligned_and_overlapping),
        fake_ram_test(test_first_mib_never_used),
        fake_ram_test(test_bad_free_panics),
        fake_ram_test(test_alloc_below),
        fake_ram_test(test_no_usable_memory_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
