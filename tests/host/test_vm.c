/*
 * Host tests for kernel virtual memory (kernel/vm.c, kernel/vm_tree.c) on fake RAM: the real
 * frame allocator and page-table code behind it, the host's own pages as the dynamic range.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "arch/x86_64/mm/paging.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "tests/host/fake_kernel_vm.h"

#define MiB        (1024ULL * 1024)
#define PAGE       PAGE_SIZE
#define RANGE_SIZE (256 * MiB)

static int setup(void **state)
{
    (void)state;
    fake_vm_setup(16 * MiB, RANGE_SIZE, true);
    vm_init();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_vm_teardown();
    return 0;
}

/* Frames used by anything but page tables and vm's nodes. */
static size_t frames_used(void)
{
    return pmm_used_count() - fake_vm_table_frames - vm_stats().node_frames;
}

static void test_alloc_maps_writable_pages_and_free_gives_them_back(void **state)
{
    (void)state;
    size_t before = frames_used();
    char *p = vm_alloc(3);

    assert_non_null(p);
    assert_int_equal((uintptr_t)p % PAGE, 0);
    assert_true(vm_contains((uintptr_t)p));
    assert_int_equal(frames_used(), before + 3);
    memset(p, 0x5a, 3 * PAGE);
    for (int i = 0; i < 3; i++)
        assert_true(fake_vm_pte_flags((uintptr_t)p + i * PAGE) & PTE_WRITABLE);
    assert_int_equal(fake_vm_pte_flags((uintptr_t)p + 3 * PAGE), 0); /* the guard page */
    assert_int_equal(vm_stats().pages, 3);

    size_t flushed = fake_vm_invalidations;
    vm_free(p);
    assert_int_equal(frames_used(), before);
    assert_int_equal(fake_vm_invalidations, flushed + 3);
    assert_int_equal(fake_vm_last_invalidated, (uintptr_t)p + 2 * PAGE);
    assert_int_equal(fake_vm_pte_flags((uintptr_t)p), 0);
    assert_int_equal(vm_stats().areas, 0);
}

static void test_each_allocation_is_followed_by_its_guard_page(void **state)
{
    (void)state;
    char *a = vm_alloc(1);
    char *b = vm_alloc(2);
    char *c = vm_alloc(1);

    assert_int_equal(b - a, 2 * PAGE);
    assert_int_equal(c - b, 3 * PAGE);
    assert_ptr_equal(vm_find((uintptr_t)a + PAGE, true), vm_find((uintptr_t)a, false));
    assert_null(vm_find((uintptr_t)a + PAGE, false));
    vm_free(a);
    vm_free(b);
    vm_free(c);
}

/* Freed ranges merge with both neighbours, whatever the order: one free range is left. */
static void test_free_ranges_coalesce(void **state)
{
    (void)state;
    static const int orders[][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}};
    uint64_t all = vm_stats().free_bytes;

    for (size_t o = 0; o < 4; o++) {
        void *p[4];
        for (int i = 0; i < 4; i++)
            p[i] = vm_alloc((size_t)i + 1);
        assert_int_equal(vm_stats().free_ranges, 1);
        vm_free(p[orders[o][0]]);
        vm_free(p[orders[o][1]]);
        assert_true(vm_stats().free_ranges >= 2 || orders[o][0] == 3 || orders[o][1] == 3);
        vm_free(p[orders[o][2]]);
        vm_free(p[orders[o][3]]);
        assert_int_equal(vm_stats().free_ranges, 1);
        assert_int_equal(vm_stats().free_bytes, all);
    }
}

/* A hole is reused first-fit; a freed hole too small for a request is skipped. */
static void test_first_fit_reuses_holes(void **state)
{
    (void)state;
    char *a = vm_alloc(2);
    char *b = vm_alloc(1);
    char *c = vm_alloc(1);

    vm_free(a); /* a hole of 3 pages with its guard */
    char *big = vm_alloc(3);
    assert_true(big > c);
    char *fits = vm_alloc(2);
    assert_ptr_equal(fits, a);
    vm_free(fits);
    vm_free(big);
    vm_free(b);
    vm_free(c);
    assert_int_equal(vm_stats().free_ranges, 1);
}

static void test_reserve_is_aligned_and_unmapped(void **state)
{
    (void)state;
    char *guard_shift = vm_alloc(1);
    char *r = vm_reserve(8 * PAGE, 8 * PAGE);

    assert_non_null(r);
    assert_int_equal((uintptr_t)r % (8 * PAGE), 0);
    assert_int_equal(fake_vm_pte_flags((uintptr_t)r), 0);
    assert_null(vm_reserve(3 * PAGE, 2 * PAGE)); /* size not a multiple of align */
    assert_null(vm_reserve(PAGE, PAGE / 2));     /* align below a page */
    assert_null(vm_reserve(3 * PAGE, 3 * PAGE)); /* align not a power of two */
    vm_free(r);
    vm_free(guard_shift);
    assert_int_equal(vm_stats().free_ranges, 1);
}

static void test_map_phys_keeps_the_offset_and_the_memory_type(void **state)
{
    (void)state;
    size_t before = frames_used();
    char *uc = vm_map_phys(0xfee00010, 8, MEMORY_UNCACHED);
    char *wc = vm_map_phys(0xe0000000, 3 * PAGE + 1, MEMORY_WRITE_COMBINING);
    uint64_t phys;

    assert_non_null(uc);
    assert_int_equal((uintptr_t)uc % PAGE, 0x10);
    assert_true(arch_kernel_translate((uintptr_t)uc, &phys));
    assert_int_equal(phys, 0xfee00010);
    uint64_t flags = fake_vm_pte_flags((uintptr_t)uc);
    assert_int_equal(flags & (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE), PTE_TYPE_UC);
    assert_true(flags & PTE_NX);
    /* 3 pages and 1 byte: 4 pages mapped, then the guard. */
    assert_int_equal(fake_vm_pte_flags((uintptr_t)wc + 3 * PAGE) & PTE_TYPE_UC, PTE_TYPE_WC);
    assert_int_equal(fake_vm_pte_flags((uintptr_t)wc + 4 * PAGE), 0);
    assert_int_equal(frames_used(), before); /* no RAM behind device memory */
    vm_free(uc);
    vm_free(wc);
    assert_int_equal(frames_used(), before);
    assert_null(vm_map_phys(0x1000, 0, MEMORY_UNCACHED));
    assert_null(vm_map_phys(UINT64_MAX - 15, 16, MEMORY_UNCACHED));
    assert_null(vm_map_phys(0, RANGE_SIZE + 1, MEMORY_UNCACHED));
}

/* Out of frames is NULL (never a panic, nothing half done); freeing brings every frame back. */
static void test_exhaustion_is_null_and_everything_comes_back(void **state)
{
    (void)state;
    void *blocks[4096];
    size_t n = 0, before = frames_used();

    while (n < 4096 && (blocks[n] = vm_alloc(16)) != NULL)
        n++;
    assert_true(n < 4096);
    while (n < 4096 && (blocks[n] = vm_alloc(1)) != NULL)
        n++;
    assert_true(n < 4096);
    assert_true(pmm_free_count() < 16);
    while (n > 0)
        vm_free(blocks[--n]);
    assert_int_equal(frames_used(), before);
    assert_null(vm_alloc(0));
    assert_null(vm_alloc(RANGE_SIZE / PAGE + 1));
}

/*
 * The page tables a mapping needs count too: with nothing mapped yet, 4 pages need 3 more frames
 * (a PDPT, a page directory, a page table). One frame short is NULL, not a panic half way.
 */
static void test_page_tables_are_counted_before_mapping(void **state)
{
    (void)state;
    uint64_t *hoard = calloc(pmm_free_count(), sizeof(uint64_t));
    size_t n = 0;

    while (pmm_free_count() > 4 + 3 - 1)
        hoard[n++] = pmm_alloc();
    if (n == 0)
        fail_msg("no frame to hold back");
    assert_null(vm_alloc(4));
    pmm_free(hoard[--n]);
    void *p = vm_alloc(4);
    assert_non_null(p);
    assert_int_equal(pmm_free_count(), 0);
    assert_int_equal(fake_vm_table_frames, 3);
    vm_free(p);
    while (n > 0)
        pmm_free(hoard[--n]);
    free(hoard);
}

static void test_free_of_a_non_allocation_panics(void **state)
{
    (void)state;
    char *p = vm_alloc(2);

    expect_panic(vm_free(p + PAGE));
    assert_non_null(strstr(panic_message, "not the start of a vm allocation"));
    expect_panic(vm_free(p + 2 * PAGE));
    vm_free(p);
    expect_panic(vm_free(p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_maps_writable_pages_and_free_gives_them_back,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_allocation_is_followed_by_its_guard_page, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_free_ranges_coalesce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_fit_reuses_holes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reserve_is_aligned_and_unmapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_phys_keeps_the_offset_and_the_memory_type, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion_is_null_and_everything_comes_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_tables_are_counted_before_mapping, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_free_of_a_non_allocation_panics, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
