/*
 * The architecture's half of kernel virtual memory (kernel/vm.h): where the dynamic range lies,
 * and memory types and rights turned into page table bits in the kernel's own tables.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/arch.h"
#include "kernel/spinlock.h"

void arch_kernel_dynamic_range(uintptr_t *base, uint64_t *size)
{
    *base = (uintptr_t)KERNEL_DYNAMIC_BASE;
    *size = KERNEL_DYNAMIC_SIZE;
}

static uint64_t memory_type_bits(enum memory_type type)
{
    switch (type) {
    case MEMORY_WRITE_COMBINING:
        return PTE_TYPE_WC;
    case MEMORY_UNCACHED:
        return PTE_TYPE_UC;
    case MEMORY_WRITE_BACK:
        break;
    }
    return PTE_TYPE_WB;
}

static struct spinlock page_tables_lock = SPINLOCK_INIT("kernel page tables");

void arch_kernel_map(uintptr_t virt, uint64_t phys, uint64_t size, unsigned rights,
                     enum memory_type type)
{
    uint64_t flags = memory_type_bits(type);

    if (rights & KERNEL_MAP_WRITE)
        flags |= PTE_WRITABLE;
    if (!(rights & KERNEL_MAP_EXEC))
        flags |= PTE_NX;
    /*
     * Two CPUs mapping in the same 2 MiB would each find its page table missing and make one: the
     * second table, and what the first CPU mapped in it, would be lost. Unmapping makes no tables
     * (the dynamic range has no large pages to split), so it needs no lock.
     */
    spin_lock(&page_tables_lock);
    kernel_map(virt, phys, size, flags);
    spin_unlock(&page_tables_lock);
}

/* How many 2 MiB, 1 GiB and 512 GiB regions [virt, virt + size) touches: one table for each. */
static uint64_t regions_touched(uintptr_t virt, uint64_t size, uint64_t region)
{
    return (virt + size - 1) / region - virt / region + 1;
}

uint64_t arch_kernel_map_table_frames(uintptr_t virt, uint64_t size)
{
    if (size == 0)
        return 0;
    return regions_touched(virt, size, PAGE_SIZE_2M) + regions_touched(virt, size, PAGE_SIZE_1G) +
           regions_touched(virt, size, 512 * PAGE_SIZE_1G);
}

void arch_kernel_unmap(uintptr_t virt, uint64_t size)
{
    kernel_unmap(virt, size);
}

bool arch_kernel_translate(uintptr_t virt, uint64_t *phys)
{
    struct paging_mapping m;

    if (!paging_translate(kernel_page_tables_root(), virt, &m))
        return false;
    *phys = m.phys;
    return true;
}
