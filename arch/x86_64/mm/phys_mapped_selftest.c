/*
 * Self-tests of arch_phys_mapped, the check the ACPI parser relies on to never fault on a
 * firmware pointer: the edges of the window, a range that wraps, the first hole in the direct
 * map, and the tables acpi_init found.
 */
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/paging.h"
#include "arch/x86_64/pc/vga_text.h"
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/phys.h"
#include "kernel/selftest.h"

SELFTEST(phys_mapped_window_edges)
{
    uint64_t limit = phys_window_limit();

    SELFTEST_ASSERT(arch_phys_mapped(VGA_TEXT_PHYS, 4000)); /* the VGA text page is always mapped */
    SELFTEST_ASSERT(arch_phys_mapped(limit - PAGE_SIZE, PAGE_SIZE));
    SELFTEST_ASSERT(!arch_phys_mapped(limit - PAGE_SIZE, PAGE_SIZE + 1));
    SELFTEST_ASSERT(!arch_phys_mapped(limit, 1));
    SELFTEST_ASSERT(!arch_phys_mapped(~0ULL - 8, 64)); /* wraps around */
}

/*
 * The first page below the window's limit that the direct map leaves out, found by walking the
 * page tables directly, if there is one (QEMU with 128 MiB has one above the RAM).
 */
SELFTEST(phys_mapped_stops_at_a_hole)
{
    uint64_t limit = phys_window_limit();
    uint64_t hole = 0;
    for (uint64_t p = 0x100000; p < limit;) {
        struct paging_mapping mapping;
        if (!paging_translate(kernel_page_tables_root(), DIRECT_MAP_BASE + p, &mapping)) {
            hole = p;
            break;
        }
        p = ALIGN_DOWN(p, mapping.page_size) + mapping.page_size;
    }
    if (hole == 0)
        return; /* all of it mapped: nothing to cross */
    SELFTEST_ASSERT(arch_phys_mapped(hole - 16, 16));
    SELFTEST_ASSERT(!arch_phys_mapped(hole - 16, 17));
    SELFTEST_ASSERT(!arch_phys_mapped(hole, PAGE_SIZE));
}

/* Every table acpi_init accepted is mapped and still sums to zero through the window. */
SELFTEST(acpi_tables_are_read_through_the_window)
{
    const struct acpi_info *acpi = acpi_get();

    for (size_t i = 0; i < acpi->table_count; i++) {
        const struct acpi_table_ref *t = &acpi->tables[i];
        if (!t->valid)
            continue;
        SELFTEST_ASSERT(arch_phys_mapped(t->address, t->length));
        const uint8_t *bytes = phys_to_virt(t->address);
        uint8_t sum = 0;
        for (uint32_t b = 0; b < t->length; b++)
            sum = (uint8_t)(sum + bytes[b]);
        SELFTEST_ASSERT_EQ(sum, 0);
    }
}
