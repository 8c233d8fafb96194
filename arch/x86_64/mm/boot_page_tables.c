/*
 * Adding to the boot page tables. They map only the kernel image and the boot information
 * (boot/entry32.asm); before the kernel's own tables exist, the screen and the frame allocator
 * need more: the framebuffer or the VGA text page, and memory for the allocator's bitmaps and the
 * first page tables. Lower-level tables come from the pool entry32.asm started using.
 */
#include "arch/x86_64/mm/boot_page_tables.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/pat.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"
#include "kernel/phys.h"

/* boot/entry32.asm, in the image's low sections (physical addresses); boot_tables_used follows
 * the pool, which tells its size. */
extern uint64_t boot_pml4[];
extern uint8_t boot_table_pool[];
extern uint32_t boot_tables_used;

/* The boot tables map the whole image at KERNEL_VMA + physical, the boot tables included. */
static void *image_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(phys + KERNEL_VMA);
}

static size_t level_index(uint64_t virt, int level)
{
    return (size_t)(virt >> (12 + 9 * (level - 1))) % 512;
}

/* The table an entry points to; a fresh one from the pool (zeroed by the loader) if it is empty. */
static uint64_t *next_table(uint64_t *entry)
{
    if (!(*entry & PTE_PRESENT)) {
        uint32_t *used = image_virt((uintptr_t)&boot_tables_used);
        uint64_t pool = (uintptr_t)boot_table_pool;
        uint64_t pool_pages = ((uintptr_t)&boot_tables_used - pool) / PAGE_SIZE;

        if (*used == pool_pages)
            return NULL;
        *entry = (pool + (uint64_t)(*used)++ * PAGE_SIZE) | PTE_PRESENT | PTE_WRITABLE;
    }
    return image_virt(*entry & PTE_ADDR_MASK);
}

/*
 * Maps the pages of [start, end), 4 KiB aligned, at DIRECT_MAP_BASE + phys: a 2 MiB page where a
 * whole one fits and nothing is mapped there, else 4 KiB pages. Pages mapped already are left as
 * they are. No TLB flush: the CPU caches no translation for an address that was not mapped.
 */
static bool boot_map(uint64_t start, uint64_t end, uint64_t type)
{
    uint64_t *pml4 = image_virt((uintptr_t)boot_pml4);

    for (uint64_t phys = start; phys < end;) {
        uint64_t virt = DIRECT_MAP_BASE + phys;
        uint64_t *pdpt = next_table(&pml4[level_index(virt, 4)]);
        uint64_t *pd = pdpt ? next_table(&pdpt[level_index(virt, 3)]) : NULL;

        if (pd == NULL)
            return false;
        uint64_t *pde = &pd[level_index(virt, 2)];
        if (IS_ALIGNED(phys, PAGE_SIZE_2M) && end - phys >= PAGE_SIZE_2M && !(*pde & PTE_PRESENT)) {
            *pde = phys | PTE_PRESENT | PTE_WRITABLE | PTE_HUGE | type;
            phys += PAGE_SIZE_2M;
            continue;
        }
        if (*pde & PTE_HUGE) {
            phys = ALIGN_DOWN(phys, PAGE_SIZE_2M) + PAGE_SIZE_2M;
            continue;
        }
        uint64_t *pt = next_table(pde);
        if (pt == NULL)
            return false;
        uint64_t *pte = &pt[level_index(virt, 1)];
        if (!(*pte & PTE_PRESENT))
            *pte = phys | PTE_PRESENT | PTE_WRITABLE | type;
        phys += PAGE_SIZE;
    }
    return true;
}

void *direct_map_early(uint64_t phys, uint64_t size, uint64_t type)
{
    if (size == 0 || phys >= DIRECT_MAP_MAX_SIZE || size > DIRECT_MAP_MAX_SIZE - phys)
        return NULL;
    /* Once the kernel's own tables are live, they map it already. */
    if ((cpu_read_cr3() & PTE_ADDR_MASK) == (uintptr_t)boot_pml4) {
        pat_init(); /* before the first write-combining page */
        if (!boot_map(ALIGN_DOWN(phys, PAGE_SIZE), ALIGN_UP(phys + size, PAGE_SIZE), type))
            return NULL;
    }
    return (void *)(uintptr_t)(DIRECT_MAP_BASE + phys);
}

void *arch_map_framebuffer(uint64_t phys, uint64_t size)
{
    return direct_map_early(phys, size, PTE_TYPE_WC);
}

/*
 * The frame allocator keeps its bitmaps in memory it picks below the window's limit, and the
 * kernel's first page tables come from there too: so every available range below 4 GiB is
 * mapped, write-back. Should the pool run short, the window ends below the first range it
 * could not map, and the allocator makes do with what lies below.
 */
void arch_map_memory_early(const struct boot_info *info)
{
    struct boot_mmap_entry entry;
    uint64_t limit = BOOT_DIRECT_MAP_SIZE;

    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++) {
        if (entry.type != MB2_MEMORY_AVAILABLE || entry.length == 0 || entry.base >= limit)
            continue;
        uint64_t end = entry.base + entry.length < limit ? entry.base + entry.length : limit;
        if (!direct_map_early(entry.base, end - entry.base, PTE_TYPE_WB))
            limit = entry.base;
    }
    if (limit < BOOT_DIRECT_MAP_SIZE)
        kprintf("paging: the boot page tables have room for memory below 0x%llx only\n",
                (unsigned long long)limit);
    phys_window_set(DIRECT_MAP_BASE, limit);
}
