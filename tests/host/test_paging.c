/* Host tests for the x86_64 page-table code, with tables in a malloc'd stand-in for RAM. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/phys.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

/* Physical [0, 8 MiB) is backed; tables are handed out from 1 MiB up. */
#define FAKE_RAM_SIZE   (8 * MiB)
#define TABLES_START    (1 * MiB)
#define POISON          0xaa
#define PTE_PAT_LARGE   (1ULL << 12)
#define PTE_PAT_4K      (1ULL << 7)
#define MAX_INVALIDATED 64

static unsigned char *fake_ram;
static uint64_t next_table;
static size_t tables_allocated;
static bool tables_run_out;
static uint64_t invalidated[MAX_INVALIDATED];
static size_t invalidated_count;

static uint64_t fake_alloc(void)
{
    if (tables_run_out || next_table >= FAKE_RAM_SIZE)
        return 0;
    tables_allocated++;
    next_table += 4 * KiB;
    return next_table - 4 * KiB;
}

/* The host stand-in for INVLPG: remembers what was invalidated. */
void mmu_invalidate_page(uint64_t virt)
{
    if (invalidated_count < MAX_INVALIDATED)
        invalidated[invalidated_count] = virt;
    invalidated_count++;
}

static bool was_invalidated(uint64_t virt)
{
    for (size_t i = 0; i < invalidated_count && i < MAX_INVALIDATED; i++)
        if (invalidated[i] == virt)
            return true;
    return false;
}

static void configure(bool nx, bool huge_1g)
{
    const struct paging_config config = {
        .alloc_table = fake_alloc,
        .nx_supported = nx,
        .huge_1g_supported = huge_1g,
    };
    paging_init(&config);
}

static int setup(void **state)
{
    (void)state;
    fake_ram = malloc(FAKE_RAM_SIZE);
    if (fake_ram == NULL)
        return -1;
    /* Garbage in every frame: a table that is not zeroed will show up as mappings. */
    memset(fake_ram, POISON, FAKE_RAM_SIZE);
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    next_table = TABLES_START;
    tables_allocated = 0;
    tables_run_out = false;
    invalidated_count = 0;
    configure(true, true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(fake_ram);
    return 0;
}

static uint64_t *raw_table(uint64_t phys)
{
    assert_true(phys >= TABLES_START && phys < FAKE_RAM_SIZE);
    return (uint64_t *)(fake_ram + phys);
}

/* The raw entry for virt at a level (4 = PML4 .. 1 = PT), walked without the code under test. */
static uint64_t raw_entry(uint64_t root, uint64_t virt, int level)
{
    uint64_t *table = raw_table(root);
    for (int l = 4;; l--) {
        uint64_t entry = table[(virt >> (12 + 9 * (l - 1))) & 511];
        if (l == level)
            return entry;
        assert_true(entry & PTE_PRESENT);
        assert_false(entry & PTE_HUGE);
        table = raw_table(entry & PTE_ADDR_MASK);
    }
}

static size_t present_entries(uint64_t table_phys)
{
    uint64_t *table = raw_table(table_phys);
    size_t n = 0;
    for (size_t i = 0; i < 512; i++) {
        if (table[i] & PTE_PRESENT)
            n++;
        else
            assert_int_equal(table[i], 0); /* zeroed, not garbage with bit 0 clear */
    }
    return n;
}

static void assert_maps(uint64_t root, uint64_t virt, uint64_t phys, uint64_t flags,
                        uint64_t page_size)
{
    struct paging_mapping m;
    assert_true(paging_translate(root, virt, &m));
    assert_int_equal(m.phys, phys);
    assert_int_equal(m.flags, flags | PTE_PRESENT);
    assert_int_equal(m.page_size, page_size);
}

static void assert_unmapped(uint64_t root, uint64_t virt)
{
    struct paging_mapping m;
    assert_false(paging_translate(root, virt, &m));
}

static void test_new_root_is_zeroed(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();
    assert_int_equal(tables_allocated, 1);
    assert_int_equal(present_entries(root), 0);
    assert_unmapped(root, 0);
    assert_unmapped(root, KERNEL_VMA);
}

static void test_map_4k(void **state)
{
    (void)state;
    const uint64_t flags = PTE_WRITABLE | PTE_NX | PTE_GLOBAL;
    uint64_t root = paging_new_root();

    paging_map(root, 0x400000, 0x12345000, flags);
    assert_int_equal(tables_allocated, 4); /* PML4, then a PDPT, a PD and a PT */
    assert_maps(root, 0x400000, 0x12345000, flags, PAGE_SIZE);
    assert_maps(root, 0x400abc, 0x12345abc, flags, PAGE_SIZE);
    assert_unmapped(root, 0x3ff000);
    assert_unmapped(root, 0x401000);

    /* Intermediate tables: fresh, zeroed but for one entry, each pointing on with P and W only. */
    for (int level = 4; level > 1; level--) {
        uint64_t entry = raw_entry(root, 0x400000, level);
        assert_int_equal(entry & ~PTE_ADDR_MASK, PTE_PRESENT | PTE_WRITABLE);
        assert_int_equal(present_entries(entry & PTE_ADDR_MASK), 1);
    }
    assert_int_equal(raw_entry(root, 0x400000, 1), 0x12345000 | flags | PTE_PRESENT);

    /* A neighbour reuses the same tables. */
    paging_map(root, 0x401000, 0x1000, 0);
    assert_int_equal(tables_allocated, 4);
    assert_maps(root, 0x401000, 0x1000, 0, PAGE_SIZE);
}

static void test_user_page_opens_the_path(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    /* In fresh tables, every level on the way must allow user access. */
    paging_map(root, 0x7f0000000000, 0x30000, PTE_USER);
    for (int level = 4; level > 1; level--)
        assert_true(raw_entry(root, 0x7f0000000000, level) & PTE_USER);

    /* Tables made for a kernel page are opened up when a user page joins them. */
    paging_map(root, 0x10000, 0x20000, PTE_WRITABLE);
    assert_false(raw_entry(root, 0x10000, 2) & PTE_USER);
    paging_map(root, 0x11000, 0x21000, PTE_USER);
    for (int level = 4; level > 1; level--)
        assert_true(raw_entry(root, 0x11000, level) & PTE_USER);
    /* The kernel page beside it stays kernel-only: its leaf decides. */
    assert_maps(root, 0x10000, 0x20000, PTE_WRITABLE, PAGE_SIZE);
    assert_maps(root, 0x11000, 0x21000, PTE_USER, PAGE_SIZE);
}

static void test_nx_only_when_supported(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    configure(false, true);
    paging_map(root, 0x200000, 0x300000, PTE_NX | PTE_WRITABLE);
    assert_int_equal(raw_entry(root, 0x200000, 1) & PTE_NX, 0);
    assert_maps(root, 0x200000, 0x300000, PTE_WRITABLE, PAGE_SIZE);
    paging_map_range(root, 0x40000000, 0x40000000, 2 * MiB, PTE_NX);
    assert_maps(root, 0x40000000, 0x40000000, 0, PAGE_SIZE_2M);

    configure(true, true);
    paging_map(root, 0x201000, 0x301000, PTE_NX | PTE_WRITABLE);
    assert_true(raw_entry(root, 0x201000, 1) & PTE_NX);
    assert_maps(root, 0x201000, 0x301000, PTE_NX | PTE_WRITABLE, PAGE_SIZE);
    /* NX is a leaf matter: never on the tables above, or it would spread to their neighbours. */
    for (int level = 4; level > 1; level--)
        assert_false(raw_entry(root, 0x201000, level) & PTE_NX);
}

static void test_map_range_2m(void **state)
{
    (void)state;
    const uint64_t flags = PTE_WRITABLE | PTE_NX;
    uint64_t root = paging_new_root();

    configure(true, false);
    paging_map_range(root, DIRECT_MAP_BASE, 0, 6 * MiB, flags);
    assert_int_equal(tables_allocated, 3); /* PML4, PDPT, PD: no page table */
    for (uint64_t off = 0; off < 6 * MiB; off += 2 * MiB)
        assert_maps(root, DIRECT_MAP_BASE + off + 0x1234, off + 0x1234, flags, PAGE_SIZE_2M);
    assert_true(raw_entry(root, DIRECT_MAP_BASE, 2) & PTE_HUGE);
    assert_unmapped(root, DIRECT_MAP_BASE + 6 * MiB);
}

static void test_map_range_1g(void **state)
{
    (void)state;
    const uint64_t size = 3 * GiB + 4 * MiB + 8 * KiB;
    uint64_t root = paging_new_root();

    paging_map_range(root, DIRECT_MAP_BASE, 0, size, PTE_WRITABLE | PTE_GLOBAL);
    assert_int_equal(tables_allocated, 4); /* PML4, PDPT, a PD for the 2 MiB pages, a PT */
    assert_maps(root, DIRECT_MAP_BASE + 0x12345678, 0x12345678, PTE_WRITABLE | PTE_GLOBAL,
                PAGE_SIZE_1G);
    assert_maps(root, DIRECT_MAP_BASE + 2 * GiB + 5, 2 * GiB + 5, PTE_WRITABLE | PTE_GLOBAL,
                PAGE_SIZE_1G);
    assert_maps(root, DIRECT_MAP_BASE + 3 * GiB + 2 * MiB, 3 * GiB + 2 * MiB,
                PTE_WRITABLE | PTE_GLOBAL, PAGE_SIZE_2M);
    assert_maps(root, DIRECT_MAP_BASE + 3 * GiB + 4 * MiB + 4 * KiB, 3 * GiB + 4 * MiB + 4 * KiB,
                PTE_WRITABLE | PTE_GLOBAL, PAGE_SIZE);
    assert_unmapped(root, DIRECT_MAP_BASE + size);
    assert_true(raw_entry(root, DIRECT_MAP_BASE, 3) & PTE_HUGE);
}

static void test_no_1g_pages_unless_allowed(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    configure(true, false);
    paging_map_range(root, DIRECT_MAP_BASE, 0, 2 * GiB, PTE_WRITABLE);
    assert_int_equal(tables_allocated, 4); /* PML4, PDPT, two PDs of 512 2 MiB pages */
    assert_maps(root, DIRECT_MAP_BASE + GiB + 3, GiB + 3, PTE_WRITABLE, PAGE_SIZE_2M);
    assert_false(raw_entry(root, DIRECT_MAP_BASE, 3) & PTE_HUGE);
}

static void test_map_range_alignment(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    /* 4 KiB up to the 2 MiB boundary, one 2 MiB page, 4 KiB after. */
    paging_map_range(root, 0x1ff000, 0x3ff000, 2 * MiB + 8 * KiB, 0);
    assert_maps(root, 0x1ff000, 0x3ff000, 0, PAGE_SIZE);
    assert_maps(root, 0x200000, 0x400000, 0, PAGE_SIZE_2M);
    assert_maps(root, 0x400000, 0x600000, 0, PAGE_SIZE);
    assert_unmapped(root, 0x401000);

    /* virt aligned, phys not: a large page cannot be used anywhere. */
    paging_map_range(root, 0x40000000, 0x201000, 2 * MiB, 0);
    assert_maps(root, 0x40000000, 0x201000, 0, PAGE_SIZE);
    assert_maps(root, 0x401ff000, 0x400000, 0, PAGE_SIZE);
    assert_int_equal(present_entries(raw_entry(root, 0x40000000, 2) & PTE_ADDR_MASK), 512);
}

/* The last 2 MiB of the address space: the range's end wraps to 0 and must not confuse it. */
static void test_top_of_address_space(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map_range(root, 0xffffffffffe00000, 0x200000, 2 * MiB, PTE_WRITABLE);
    assert_maps(root, 0xffffffffffffffff, 0x3fffff, PTE_WRITABLE, PAGE_SIZE_2M);
    paging_map_range(root, KERNEL_VMA, 0, 8 * KiB, 0);
    assert_maps(root, KERNEL_VMA + 0x1000, 0x1000, 0, PAGE_SIZE);
    paging_unmap_range(root, 0xffffffffffe00000, 2 * MiB);
    assert_unmapped(root, 0xffffffffffffffff);
}

static void test_refusals(void **state)
{
    (void)state;
    struct paging_mapping m;
    uint64_t root = paging_new_root();

    expect_panic(paging_map(root, 0x0000800000000000, 0x1000, 0));
    assert_non_null(strstr(panic_message, "canonical"));
    expect_panic(paging_map(root, 0xffff7ffffffff000, 0x1000, 0));
    expect_panic(paging_map_range(root, 0x00007ffffffff000, 0x1000, 8 * KiB, 0));
    expect_panic(paging_map_range(root, 0xfffffffffffff000, 0x1000, 8 * KiB, 0));
    expect_panic(paging_translate(root, 0x8000000000000000, &m));
    expect_panic(paging_unmap(root, 0x0001000000000000));

    expect_panic(paging_map(root, 0x1001, 0x1000, 0));
    expect_panic(paging_map(root, 0x1000, 0x1001, 0));
    expect_panic(paging_map(root, 0x1000, 1ULL << 52, 0));
    expect_panic(paging_map_range(root, 0x1000, 0x1000, 0, 0));
    expect_panic(paging_map_range(root, 0x1000, 0x1000, 0x800, 0));
    expect_panic(paging_map(root, 0x1000, 0x1000, PTE_HUGE));
    expect_panic(paging_map(root, 0x1000, 0x1000, PTE_DIRTY));
    assert_int_equal(tables_allocated, 1); /* nothing was half-done */
    assert_unmapped(root, 0x1000);

    paging_map(root, 0x1000, 0x1000, PTE_PRESENT); /* P itself is allowed */
    expect_panic(paging_map(root, 0x1000, 0x2000, 0));
    assert_non_null(strstr(panic_message, "already mapped"));
    paging_map_range(root, 0x200000, 0x200000, 2 * MiB, 0);
    expect_panic(paging_map(root, 0x201000, 0x2000, 0));

    tables_run_out = true;
    expect_panic(paging_map(root, 0x7f0000000000, 0x1000, 0));
    assert_non_null(strstr(panic_message, "out of memory"));
}

static void test_unmap_4k(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map(root, 0x5000, 0x9000, PTE_WRITABLE);
    paging_map(root, 0x6000, 0xa000, PTE_WRITABLE);
    assert_true(paging_unmap(root, 0x5000));
    assert_unmapped(root, 0x5000);
    assert_true(was_invalidated(0x5000));
    assert_maps(root, 0x6000, 0xa000, PTE_WRITABLE, PAGE_SIZE);

    invalidated_count = 0;
    assert_false(paging_unmap(root, 0x5000));
    assert_false(paging_unmap(root, 0x7f0000000000)); /* not even a PDPT there */
    assert_int_equal(invalidated_count, 0);

    /* The slot can be mapped again. */
    paging_map(root, 0x5000, 0xb000, 0);
    assert_maps(root, 0x5000, 0xb000, 0, PAGE_SIZE);
}

static void test_unmap_splits_2m(void **state)
{
    (void)state;
    const uint64_t flags = PTE_WRITABLE | PTE_GLOBAL | PTE_NX;
    const uint64_t virt = 0x40000000, phys = 0x80000000;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, phys, 2 * MiB, flags);
    size_t before = tables_allocated;

    assert_true(paging_unmap(root, virt + 0x5000));
    assert_int_equal(tables_allocated, before + 1); /* the new page table */
    assert_true(was_invalidated(virt));
    assert_true(was_invalidated(virt + 0x5000));
    assert_unmapped(root, virt + 0x5000);
    for (uint64_t off = 0; off < 2 * MiB; off += 4 * KiB)
        if (off != 0x5000)
            assert_maps(root, virt + off, phys + off, flags, PAGE_SIZE);
    assert_int_equal(present_entries(raw_entry(root, virt, 2) & PTE_ADDR_MASK), 511);
}

static void test_split_keeps_pat(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map_range(root, 0x40000000, 0x80000000, 2 * MiB, 0);
    uint64_t pd = raw_entry(root, 0x40000000, 3) & PTE_ADDR_MASK;
    raw_table(pd)[0] |= PTE_PAT_LARGE; /* as if someone chose a PAT memory type */

    assert_true(paging_unmap(root, 0x40000000));
    uint64_t leaf = raw_entry(root, 0x40001000, 1);
    assert_int_equal(leaf & PTE_ADDR_MASK, 0x80001000);
    assert_true(leaf & PTE_PAT_4K);
}

static void test_unmap_splits_1g(void **state)
{
    (void)state;
    const uint64_t virt = DIRECT_MAP_BASE, flags = PTE_WRITABLE;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, 0, GiB, flags);
    size_t before = tables_allocated;

    assert_true(paging_unmap(root, virt + 512 * MiB + 0x3000));
    assert_int_equal(tables_allocated, before + 2); /* a PD, then a PT */
    assert_unmapped(root, virt + 512 * MiB + 0x3000);
    assert_maps(root, virt + 0x1234, 0x1234, flags, PAGE_SIZE_2M);
    assert_maps(root, virt + GiB - 1, GiB - 1, flags, PAGE_SIZE_2M);
    assert_maps(root, virt + 512 * MiB + 0x2000, 512 * MiB + 0x2000, flags, PAGE_SIZE);
    assert_maps(root, virt + 514 * MiB - 1, 514 * MiB - 1, flags, PAGE_SIZE);
    assert_maps(root, virt + 514 * MiB, 514 * MiB, flags, PAGE_SIZE_2M);
}

static void test_unmap_range(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    configure(true, false);
    paging_map_range(root, 0x40000000, 0, 6 * MiB, 0); /* three 2 MiB pages */
    size_t before = tables_allocated;

    /* Whole large pages go without a split; the one cut in half gets a page table. */
    paging_unmap_range(root, 0x40000000, 5 * MiB);
    assert_int_equal(tables_allocated, before + 1);
    assert_unmapped(root, 0x40000000);
    assert_unmapped(root, 0x40200000);
    assert_unmapped(root, 0x404ff000);
    assert_maps(root, 0x40500000, 0x500000, 0, PAGE_SIZE);

    /* Scattered pages across a terabyte: holes are skipped a table at a time. */
    paging_map(root, 0x1000, 0x1000, 0);
    paging_map(root, 0x8000000000, 0x2000, 0);
    paging_map(root, 0xff00000000, 0x3000, 0);
    paging_unmap_range(root, 0, 1ULL << 40);
    assert_unmapped(root, 0x1000);
    assert_unmapped(root, 0x8000000000);
    assert_unmapped(root, 0xff00000000);
    assert_unmapped(root, 0x40500000);

    /* A hole that reaches past the end of the range: the walk stops at the end. */
    paging_map(root, 0x40000000, 0x1000, 0);
    paging_unmap_range(root, 0x0, 4 * KiB);
    assert_maps(root, 0x40000000, 0x1000, 0, PAGE_SIZE);
}

/* After small pages were there, a large mapping over the same place uses small pages. */
static void test_map_over_old_tables(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map(root, 0x600000, 0x1000, 0);
    paging_unmap(root, 0x600000);
    paging_map_range(root, 0x600000, 0x600000, 2 * MiB, PTE_WRITABLE);
    assert_maps(root, 0x600000, 0x600000, PTE_WRITABLE, PAGE_SIZE);
    assert_maps(root, 0x7ff000, 0x7ff000, PTE_WRITABLE, PAGE_SIZE);
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_new_root_is_zeroed),
        TEST(test_map_4k),
        TEST(test_user_page_opens_the_path),
        TEST(test_nx_only_when_supported),
        TEST(test_map_range_2m),
        TEST(test_map_range_1g),
        TEST(test_no_1g_pages_unless_allowed),
        TEST(test_map_range_alignment),
        TEST(test_top_of_address_space),
        TEST(test_refusals),
        TEST(test_unmap_4k),
        TEST(test_unmap_splits_2m),
        TEST(test_split_keeps_pat),
        TEST(test_unmap_splits_1g),
        TEST(test_unmap_range),
        TEST(test_map_over_old_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
