/*
 * arch_phys_mapped (kernel/arch.h): whether physical memory can be read through the window
 * without a fault. The kernel's direct map has holes where the memory map shows nothing (and
 * maps some ranges only when asked), so firmware's pointers, into ACPI tables say, are checked
 * against the live page tables, not assumed.
 */
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/phys.h"

bool arch_phys_mapped(uint64_t phys, uint64_t length)
{
    uint64_t end = phys + length;
    uint64_t root = kernel_page_tables_root();

    if (end < phys || end > phys_window_limit())
        return false;
    /*
     * Before arch_paging_init the window is the boot tables' direct map, which holds little
     * beyond the boot information: nothing there is taken to be mapped.
     */
    if (root == 0)
        return false;
    for (uint64_t page = ALIGN_DOWN(phys, PAGE_SIZE); page < end;) {
        struct paging_mapping mapping;
        if (!paging_translate(root, DIRECT_MAP_BASE + page, &mapping) || mapping.phys != page)
            return false;
        /* One look covers the whole large page. */
        page = ALIGN_DOWN(page, mapping.page_size) + mapping.page_size;
    }
    return true;
}
