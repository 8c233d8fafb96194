/*
 * Host tests of paging_write_protect_range (arch/x86_64/mm/paging.c), which makes the boot-time
 * data read-only: exactly the pages asked for lose PTE_WRITABLE, large pages are split at the
 * edges, each changed page leaves the TLB, and holes are skipped.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/phys.h"

#define FAKE_RAM_SIZE   (4ULL << 20) /* tables only: mapped frames are never touched */
#define MAX_INVALIDATED 16

static unsigned char *fake_ram;
static uint64_t next_table;
static uint64_t invalidated[MAX_INVALIDATED];
static size_t invalidated_count;

static uint64_t fake_alloc(void)
{
    if (next_table >= FAKE_RAM_SIZE)
        return 0;
    next_table += PAGE_SIZE;
    return next_table - PAGE_SIZE;
}

void mmu_invalidate_page(uint64_t virt)
{
    if (invalidated_count < MAX_INVALIDATED)
        invalidated[invalidated_count] = virt;
    invalidated_count++;
}

static int setup(void **state)
{
    (void)state;
    fake_ram = calloc(1, FAKE_RAM_SIZE);
    if (fake_ram == NULL)
        return -1;
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    next_table = PAGE_SIZE;
    invalidated_count = 0;
    paging_init(&(struct paging_config){.alloc_table = fake_alloc, .nx_supported = true});
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(fake_ram);
    return 0;
}

static uint64_t flags_at(uint64_t root, uint64_t virt)
{
    struct paging_mapping m;

    assert_true(paging_translate(root, virt, &m));
    return m.flags;
}

/* Three 4 KiB pages; the middle one only becomes read-only, its neighbours stay writable. */
static void test_only_the_range_is_protected(void **state)
{
    (void)state;
    const uint64_t virt = 0xffffffff80200000ULL, phys = 0x300000;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, phys, 3 * PAGE_SIZE, PTE_WRITABLE | PTE_NX);
    paging_write_protect_range(root, virt + PAGE_SIZE, PAGE_SIZE);
    assert_int_equal(flags_at(root, virt), PTE_PRESENT | PTE_WRITABLE | PTE_NX);
    assert_int_equal(flags_at(root, virt + PAGE_SIZE), PTE_PRESENT | PTE_NX);
    assert_int_equal(flags_at(root, virt + 2 * PAGE_SIZE), PTE_PRESENT | PTE_WRITABLE | PTE_NX);
    assert_int_equal(invalidated_count, 1);
    assert_int_equal(invalidated[0], virt + PAGE_SIZE);
}

/* A 2 MiB page with 4 KiB protected inside: split, the same frames, one page read-only. */
static void test_large_page_is_split(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000, phys = 0x80000000;
    uint64_t root = paging_new_root();
    struct paging_mapping m;

    paging_map_range(root, virt, phys, PAGE_SIZE_2M, PTE_WRITABLE);
    paging_write_protect_range(root, virt + 5 * PAGE_SIZE, PAGE_SIZE);
    assert_true(paging_translate(root, virt + 5 * PAGE_SIZE, &m));
    assert_int_equal(m.page_size, PAGE_SIZE);
    assert_int_equal(m.phys, phys + 5 * PAGE_SIZE);
    assert_false(m.flags & PTE_WRITABLE);
    assert_true(flags_at(root, virt + 4 * PAGE_SIZE) & PTE_WRITABLE);
    assert_true(flags_at(root, virt + 6 * PAGE_SIZE) & PTE_WRITABLE);
}

/* Nothing mapped in the middle of the range: skipped, and nothing appears there. */
static void test_holes_are_skipped(void **state)
{
    (void)state;
    const uint64_t virt = 0x10000000;
    uint64_t root = paging_new_root();
    struct paging_mapping m;

    paging_map(root, virt, 0x5000, PTE_WRITABLE);
    paging_map(root, virt + 2 * PAGE_SIZE, 0x7000, PTE_WRITABLE);
    paging_write_protect_range(root, virt, 3 * PAGE_SIZE);
    assert_false(flags_at(root, virt) & PTE_WRITABLE);
    assert_false(paging_translate(root, virt + PAGE_SIZE, &m));
    assert_false(flags_at(root, virt + 2 * PAGE_SIZE) & PTE_WRITABLE);
}

static void test_refuses_a_partial_page(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    expect_panic(paging_write_protect_range(root, 0x10000000, 100));
    assert_non_null(strstr(panic_message, "not a whole number of 4 KiB pages"));
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_only_the_range_is_protected),
        TEST(test_large_page_is_split),
        TEST(test_holes_are_skipped),
        TEST(test_refuses_a_partial_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
