/*
 * Boundary cases of the page-table code and the physical window: ranges that start or end inside
 * a large page, holes skipped from an unaligned address, splits that must carry the memory type,
 * the last physical address a mapping may reach, and the window's last byte. Each test fails if
 * the check it is named after is loosened by one or dropped.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/phys.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

/* Physical [0, 8 MiB) is backed for the tables; the mappings' frames are never touched. */
#define FAKE_RAM_SIZE (8 * MiB)
#define TABLES_START  (1 * MiB)
#define POISON        0xaa

/* Intel SDM Vol. 3A table 4-18 and 4-20: where PAT sits in a large and in a 4 KiB leaf. */
#define PAT_LARGE (1ULL << 12)
#define PAT_4K    (1ULL << 7)

/* One past the last physical address an entry can hold (MAXPHYADDR <= 52). */
#define PHYS_LIMIT (1ULL << 52)

static unsigned char *fake_ram;
static uint64_t next_table;
static size_t tables_allocated;

static uint64_t fake_alloc(void)
{
    if (next_table >= FAKE_RAM_SIZE)
        return 0;
    tables_allocated++;
    next_table += 4 * KiB;
    return next_table - 4 * KiB;
}

void mmu_invalidate_page(uint64_t virt)
{
    (void)virt;
}

static void configure(bool huge_1g)
{
    const struct paging_config config = {
        .alloc_table = fake_alloc, .nx_supported = true, .huge_1g_supported = huge_1g};
    paging_init(&config);
}

static int setup(void **state)
{
    (void)state;
    fake_ram = malloc(FAKE_RAM_SIZE);
    if (fake_ram == NULL)
        return -1;
    memset(fake_ram, POISON, FAKE_RAM_SIZE);
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    next_table = TABLES_START;
    tables_allocated = 0;
    configure(true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(fake_ram);
    return 0;
}

/* The raw entry for virt at a level (4 = PML4 .. 1 = PT), walked without the code under test. */
static uint64_t *raw_entry(uint64_t root, uint64_t virt, int level)
{
    uint64_t *table = (uint64_t *)(fake_ram + root);

    for (int l = 4;; l--) {
        uint64_t *entry = &table[(virt >> (12 + 9 * (l - 1))) & 511];
        if (l == level)
            return entry;
        assert_true(*entry & PTE_PRESENT);
        assert_false(*entry & PTE_HUGE);
        table = (uint64_t *)(fake_ram + (*entry & PTE_ADDR_MASK));
    }
}

static void assert_maps(uint64_t root, uint64_t virt, uint64_t phys, uint64_t page_size)
{
    struct paging_mapping m;

    assert_true(paging_translate(root, virt, &m));
    assert_int_equal(m.phys, phys);
    assert_int_equal(m.page_size, page_size);
}

static void assert_unmapped(uint64_t root, uint64_t virt)
{
    struct paging_mapping m;

    assert_false(paging_translate(root, virt, &m));
}

/* A range exactly one large page long, at its start, drops it whole: no table is made. */
static void test_unmap_exactly_one_large_page(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map_range(root, 0x40000000, 0x40000000, GiB, 0);
    paging_map_range(root, 0x80000000, 0x200000, 2 * MiB, 0);
    size_t before = tables_allocated;

    paging_unmap_range(root, 0x40000000, GiB);
    paging_unmap_range(root, 0x80000000, 2 * MiB);
    assert_int_equal(tables_allocated, before);
    assert_unmapped(root, 0x40000000);
    assert_unmapped(root, 0x40000000 + GiB - 1);
    assert_unmapped(root, 0x80000000 + 2 * MiB - 1);
}

/* [1 MiB, 3 MiB) of two 2 MiB pages: the first and last MiB stay, mapped as before. */
static void test_unmap_range_inside_2m_pages(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000, phys = 0x600000;
    uint64_t root = paging_new_root();

    configure(false);
    paging_map_range(root, virt, phys, 4 * MiB, PTE_WRITABLE);
    paging_unmap_range(root, virt + 1 * MiB, 2 * MiB);
    assert_maps(root, virt, phys, PAGE_SIZE);
    assert_maps(root, virt + 1 * MiB - 1, phys + 1 * MiB - 1, PAGE_SIZE);
    assert_unmapped(root, virt + 1 * MiB);
    assert_unmapped(root, virt + 3 * MiB - 1);
    assert_maps(root, virt + 3 * MiB, phys + 3 * MiB, PAGE_SIZE);
    assert_maps(root, virt + 4 * MiB - 1, phys + 4 * MiB - 1, PAGE_SIZE);
}

/* A range that starts on a 2 MiB page and ends 4 KiB into the next. */
static void test_unmap_range_ending_inside_a_2m_page(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000;
    uint64_t root = paging_new_root();

    configure(false);
    paging_map_range(root, virt, 0, 4 * MiB, 0);
    size_t before = tables_allocated;

    paging_unmap_range(root, virt, 2 * MiB + 4 * KiB);
    assert_int_equal(tables_allocated, before + 1); /* only the second page is split */
    assert_unmapped(root, virt + 2 * MiB);
    assert_maps(root, virt + 2 * MiB + 4 * KiB, 2 * MiB + 4 * KiB, PAGE_SIZE);
}

/* [1 GiB - 2 MiB, 1 GiB + 2 MiB) across two 1 GiB pages: each is split into 2 MiB pages only. */
static void test_unmap_range_across_1g_pages(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000, phys = 0x80000000;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, phys, 2 * GiB, 0);
    size_t before = tables_allocated;

    paging_unmap_range(root, virt + GiB - 2 * MiB, 4 * MiB);
    assert_int_equal(tables_allocated, before + 2); /* one page directory for each */
    assert_maps(root, virt, phys, PAGE_SIZE_2M);
    assert_maps(root, virt + GiB - 2 * MiB - 1, phys + GiB - 2 * MiB - 1, PAGE_SIZE_2M);
    assert_unmapped(root, virt + GiB - 2 * MiB);
    assert_unmapped(root, virt + GiB + 2 * MiB - 1);
    assert_maps(root, virt + GiB + 2 * MiB, phys + GiB + 2 * MiB, PAGE_SIZE_2M);
    assert_maps(root, virt + 2 * GiB - 1, phys + 2 * GiB - 1, PAGE_SIZE_2M);
}

/*
 * A hole is skipped to the end of the entry it is in, not by a whole entry's size: from an
 * address 4 KiB below the next 2 MiB, 1 GiB or 512 GiB boundary, the page just past it must go.
 */
static void test_hole_skipped_from_an_unaligned_address(void **state)
{
    (void)state;
    const uint64_t boundaries[] = {2 * MiB, GiB, 512 * GiB};

    for (size_t i = 0; i < 3; i++) {
        uint64_t root = paging_new_root();
        uint64_t at = 3 * boundaries[i];

        paging_map(root, at, 0x1000, 0);
        paging_map(root, at + 4 * KiB, 0x2000, 0);
        paging_unmap_range(root, at - 4 * KiB, 8 * KiB);
        assert_unmapped(root, at);
        assert_maps(root, at + 4 * KiB, 0x2000, PAGE_SIZE);
    }
}

/*
 * A 1 GiB page with a memory type (PWT, and PAT at bit 12): its 2 MiB pieces keep both at the
 * same places, its 4 KiB pieces have PAT at bit 7, and every address stays where it was.
 */
static void test_split_1g_keeps_memory_type(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000, phys = 0xc0000000;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, phys, GiB, PTE_TYPE_WC | PTE_WRITABLE);
    *raw_entry(root, virt, 3) |= PAT_LARGE;

    assert_true(paging_unmap(root, virt + 4 * KiB));
    uint64_t big = *raw_entry(root, virt + 2 * MiB, 2);
    assert_int_equal(big & PTE_ADDR_MASK, phys + 2 * MiB + PAT_LARGE);
    assert_true(big & PTE_HUGE);
    assert_true(big & PTE_WRITE_THROUGH);
    uint64_t last = *raw_entry(root, virt + GiB - 2 * MiB, 2);
    assert_int_equal(last & PTE_ADDR_MASK, phys + GiB - 2 * MiB + PAT_LARGE);

    uint64_t small = *raw_entry(root, virt + 8 * KiB, 1);
    assert_int_equal(small & PTE_ADDR_MASK, phys + 8 * KiB);
    assert_true(small & PAT_4K);
    assert_true(small & PTE_WRITE_THROUGH);
    assert_true(small & PTE_WRITABLE);
    assert_maps(root, virt + 2 * MiB - 1, phys + 2 * MiB - 1, PAGE_SIZE);
    assert_maps(root, virt + 2 * MiB, phys + 2 * MiB, PAGE_SIZE_2M);
}

/* Without PAT, a split must not invent it. */
static void test_split_without_pat_sets_none(void **state)
{
    (void)state;
    const uint64_t virt = 0x40000000;
    uint64_t root = paging_new_root();

    paging_map_range(root, virt, GiB, GiB, 0);
    assert_true(paging_unmap(root, virt));
    assert_int_equal(*raw_entry(root, virt + 2 * MiB, 2) & PTE_ADDR_MASK, GiB + 2 * MiB);
    assert_false(*raw_entry(root, virt + 4 * KiB, 1) & PAT_4K);
}

/* The last 4 KiB and 2 MiB below 2^52 can be mapped; a range reaching past it cannot. */
static void test_last_physical_address(void **state)
{
    (void)state;
    uint64_t root = paging_new_root();

    paging_map(root, 0x1000, PHYS_LIMIT - 4 * KiB, 0);
    assert_maps(root, 0x1fff, PHYS_LIMIT - 1, PAGE_SIZE);
    paging_map_range(root, 0x200000, PHYS_LIMIT - 2 * MiB, 2 * MiB, 0);
    assert_maps(root, 0x3fffff, PHYS_LIMIT - 1, PAGE_SIZE_2M);
    paging_map_range(root, 0x40000000, PHYS_LIMIT - GiB, GiB, 0);
    assert_maps(root, 0x7fffffff, PHYS_LIMIT - 1, PAGE_SIZE_1G);

    expect_panic(paging_map(root, 0x800000, PHYS_LIMIT, 0));
    expect_panic(paging_map_range(root, 0x800000, PHYS_LIMIT - 4 * KiB, 8 * KiB, 0));
    expect_panic(paging_map_range(root, 0x800000, PHYS_LIMIT - 2 * MiB, 2 * MiB + 4 * KiB, 0));
    assert_non_null(strstr(panic_message, "bad physical address"));
    assert_unmapped(root, 0x800000);
}

/* The window reaches its last byte and not one more. */
static void test_phys_window_last_byte(void **state)
{
    (void)state;
    unsigned char *last = phys_to_virt(FAKE_RAM_SIZE - 1);

    assert_ptr_equal(last, fake_ram + FAKE_RAM_SIZE - 1);
    *last = 1; /* AddressSanitizer: the byte is really inside the block */
    assert_ptr_equal(phys_to_virt(0), fake_ram);
    expect_panic(phys_to_virt(FAKE_RAM_SIZE));
    assert_non_null(strstr(panic_message, "outside the window"));
    assert_int_equal(phys_window_limit(), FAKE_RAM_SIZE);
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_unmap_exactly_one_large_page),
        TEST(test_unmap_range_inside_2m_pages),
        TEST(test_unmap_range_ending_inside_a_2m_page),
        TEST(test_unmap_range_across_1g_pages),
        TEST(test_hole_skipped_from_an_unaligned_address),
        TEST(test_split_1g_keeps_memory_type),
        TEST(test_split_without_pat_sets_none),
        TEST(test_last_physical_address),
        TEST(test_phys_window_last_byte),
    };
    return cmocka_run_group_tests_name("paging bounds", tests, NULL, NULL);
}
