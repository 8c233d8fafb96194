/*
 * TEMPORARY (see boot_paging.h): edits the boot page tables of boot/entry32.asm in place. They
 * map with 2 MiB pages, so the 2 MiB page holding the guard is split into 4 KiB pages first.
 */
#include "arch/x86_64/boot_paging.h"

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/memory_layout.h"
#include "arch/x86_64/stack.h"
#include "kernel/compiler.h"
#include "kernel/phys.h"

/* Intel SDM vol. 3A, 4.5: page-table entry bits. */
#define PTE_PRESENT   (1ull << 0)
#define PTE_WRITABLE  (1ull << 1)
#define PTE_HUGE      (1ull << 7) /* in a page directory entry: maps 2 MiB */
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define ENTRIES       512

static uint64_t guard_page_table[ENTRIES] __aligned(4096);

static uint64_t *table_at(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR_MASK);
}

static unsigned index_at(uint64_t virt, int shift)
{
    return (unsigned)(virt >> shift) & (ENTRIES - 1);
}

void boot_paging_protect(void)
{
    uint64_t *pml4 = table_at(cpu_read_cr3());
    uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;

    /* The identity map [0, 4 GiB) is PML4 slot 0; nothing runs there after boot/entry64.asm. */
    pml4[0] = 0;

    /*
     * The kernel window shares its page directories with the direct map: the guard's physical
     * page disappears from the direct map too, which is harmless (nothing else is in it).
     */
    uint64_t *pdpt = table_at(pml4[index_at(guard, 39)]);
    uint64_t *pd = table_at(pdpt[index_at(guard, 30)]);
    uint64_t *pde = &pd[index_at(guard, 21)];
    if (*pde & PTE_HUGE) {
        uint64_t base = *pde & PTE_ADDR_MASK & ~0x1fffffull;
        for (unsigned i = 0; i < ENTRIES; i++)
            guard_page_table[i] = (base + i * 4096ull) | PTE_PRESENT | PTE_WRITABLE;
        *pde = kernel_virt_to_phys(guard_page_table) | PTE_PRESENT | PTE_WRITABLE;
    }
    table_at(*pde)[index_at(guard, 12)] = 0;

    /* Reloading CR3 flushes every translation the TLB kept from before. */
    __asm__ volatile("mov %0, %%cr3" : : "r"(cpu_read_cr3()) : "memory");
}
