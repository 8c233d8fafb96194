/*
 * Host tests for memory_init (kernel/memory.c) and the frame allocator's span: boot information
 * built by hand, fake RAM behind the physical window. No table limits how many modules or map
 * entries there are, and a usable entry far above the rest of RAM is left out, not fatal.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/fake_ram.h"
#include "tests/host/panic_double.h"

#include "kernel/memory.h"
#include "kernel/memory_selftest.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "tests/host/boot_info_builder.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

/* linker/kernel.ld's bounds of the image, which memory_init keeps out: here, a few host bytes. */
char __kernel_phys_start[8], __kernel_phys_end[1];

static bool touches(uint64_t frame, uint64_t start, uint64_t end)
{
    return frame < end && start < frame + PAGE_SIZE;
}

/*
 * 40 modules, more than twice the old limit of 16, spread over RAM with gaps between them:
 * memory_init must keep every one of them out, and the in-use list must name each (and not an
 * empty one).
 */
static void test_every_module_is_kept_out(void **state)
{
    enum { MODULES = 40 };
    static const struct mb2_mmap_entry map[] = {
        {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
        {1 * MiB, 15 * MiB, MB2_MEMORY_AVAILABLE, 0},
    };
    static struct boot_info info; /* memory_init keeps a pointer to it */
    struct boot_info_error err = {0};
    struct builder b;
    struct memory_in_use item;
    size_t modules_in_use = 0;
    (void)state;

    begin(&b);
    add_mmap(&b, 24, map, 2);
    for (uint32_t i = 0; i < MODULES; i++)
        add_module(&b, (uint32_t)(2 * MiB + i * 256 * KiB),
                   (uint32_t)(2 * MiB + i * 256 * KiB + 9000), "m");
    add_module(&b, 1 * MiB + 0x800, 1 * MiB + 0x800, "empty"); /* holds nothing to keep out */
    finish(&b);
    assert_true(parse(&b, &info, &err));
    memory_init(&info);

    for (uint64_t cursor = 0; memory_in_use(&cursor, &item);)
        if (strcmp(item.what, "a module") == 0)
            modules_in_use++;
    assert_int_equal(modules_in_use, MODULES);

    /* Every frame handed out misses every module (9000 bytes: three frames each). */
    size_t handed_out = 0;
    for (uint64_t frame; (frame = pmm_alloc()) != PMM_NO_FRAME; handed_out++)
        for (uint32_t i = 0; i < MODULES; i++) {
            uint64_t start = 2 * MiB + i * 256 * KiB;
            if (touches(frame, start, start + 9000))
                fail_msg("frame 0x%llx overlaps module %u", (unsigned long long)frame, i);
        }
    /* 15 MiB of frames, less three per module, the bitmaps' one, and nothing else. */
    assert_int_equal(handed_out, 15 * MiB / PAGE_SIZE - 3 * MODULES - 1);
}

/* The usable total in the next tests: 7 MiB from 1 MiB, plus one 4 KiB frame placed far away. */
#define LOW_USABLE (7 * MiB)
/* pmm.c: the span may reach 256 times the usable memory above its start. */
#define SPAN_LIMIT (1 * MiB + 256 * (LOW_USABLE + PAGE_SIZE))

static void init_with_far_frame(uint64_t far_frame)
{
    const struct phys_range usable[] = {{1 * MiB, LOW_USABLE}, {far_frame, PAGE_SIZE}};

    pmm_init(usable, 2, NULL, 0);
}

/* A frame that ends exactly at the limit is still the allocator's. */
static void test_far_frame_at_the_limit_is_kept(void **state)
{
    (void)state;
    init_with_far_frame(SPAN_LIMIT - PAGE_SIZE);
    assert_int_equal(pmm_ignored().length, 0);
    assert_int_equal(pmm_total_count(),
                     LOW_USABLE / PAGE_SIZE + 1 - pmm_bookkeeping().length / PAGE_SIZE);
    assert_int_equal(pmm_alloc_below(SPAN_LIMIT) != PMM_NO_FRAME, true);
}

/* One frame further, it is left out and reported. */
static void test_far_frame_past_the_limit_is_left_out(void **state)
{
    (void)state;
    init_with_far_frame(SPAN_LIMIT);
    assert_int_equal(pmm_ignored().base, SPAN_LIMIT);
    assert_int_equal(pmm_ignored().length, PAGE_SIZE);
    assert_int_equal(pmm_total_count(),
                     LOW_USABLE / PAGE_SIZE - pmm_bookkeeping().length / PAGE_SIZE);
    expect_panic(pmm_free(SPAN_LIMIT));
}

/*
 * Firmware that reports 1 GiB of usable memory at 2^46 (64 TiB): bitmaps over the whole span
 * would take 4 GiB, more than the machine has, and the boot used to panic for want of room.
 */
static void test_entry_at_2_to_the_46_does_not_stop_the_boot(void **state)
{
    static const struct mb2_mmap_entry map[] = {
        {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
        {1 * MiB, 15 * MiB, MB2_MEMORY_AVAILABLE, 0},
        {1ULL << 46, 1 * GiB, MB2_MEMORY_AVAILABLE, 0},
    };
    static struct boot_info info;
    struct boot_info_error err = {0};
    struct builder b;
    (void)state;

    begin(&b);
    add_mmap(&b, 24, map, 3);
    finish(&b);
    assert_true(parse(&b, &info, &err));
    memory_init(&info);

    assert_int_equal(pmm_ignored().base, 1ULL << 46);
    assert_int_equal(pmm_ignored().length, 1 * GiB);
    assert_int_equal(pmm_bookkeeping().length, PAGE_SIZE);
    for (uint64_t frame; (frame = pmm_alloc()) != PMM_NO_FRAME;)
        assert_true(frame < 16 * MiB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fake_ram_test(test_every_module_is_kept_out),
        fake_ram_test(test_far_frame_at_the_limit_is_kept),
        fake_ram_test(test_far_frame_past_the_limit_is_left_out),
        fake_ram_test(test_entry_at_2_to_the_46_does_not_stop_the_boot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
