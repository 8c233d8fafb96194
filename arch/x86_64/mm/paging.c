/*
 * x86_64 4-level paging (Intel SDM Vol. 3A 4.5): map, unmap and look up pages in a PML4 tree.
 * Level 4 is the PML4, 3 the PDPT, 2 the page directory, 1 the page table; each table is one
 * 4 KiB frame of 512 entries, indexed by 9 bits of the virtual address.
 */
#include "arch/x86_64/mm/paging.h"

#include <stddef.h>

#include "arch/x86_64/mm/mmu.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/string.h"

/*
 * PAT, the third memory-type bit, moves with the page size: bit 12 in a 2 MiB or 1 GiB leaf
 * (below the frame address, which is 2 MiB aligned there), bit 7 in a 4 KiB leaf, where bit 7 is
 * not needed for PS. keel never sets it, but a split must carry it across.
 */
#define PTE_PAT_LARGE (1ULL << 12)
#define PTE_PAT_4K    (1ULL << 7)

static struct paging_config config;

void paging_init(const struct paging_config *new_config)
{
    config = *new_config;
}

/* Bytes one entry at this level covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
static uint64_t level_size(int level)
{
    return 1ULL << (12 + 9 * (level - 1));
}

static size_t level_index(uint64_t virt, int level)
{
    return (size_t)(virt >> (12 + 9 * (level - 1))) % PAGE_TABLE_ENTRIES;
}

static uint64_t *table_at(uint64_t phys)
{
    return phys_to_virt(phys);
}

/*
 * Writes an entry the CPU may be using right now. The barrier keeps the compiler from moving
 * earlier stores (a new table's contents) after it; volatile makes it a single 64-bit store, so
 * the page walker never sees half an entry. x86 itself does not reorder stores with stores.
 */
static void set_entry(uint64_t *entry, uint64_t value)
{
    __asm__ volatile("" : : : "memory");
    *(volatile uint64_t *)entry = value;
}

/* SDM 3.3.7.1: with 48-bit addresses, bits 63..47 must all equal bit 47. */
static bool is_canonical(uint64_t virt)
{
    uint64_t top = virt >> 47;
    return top == 0 || top == 0x1ffff;
}

static void check_virt_range(uint64_t virt, uint64_t size)
{
    uint64_t last = virt + size - 1;

    if (size == 0 || !IS_ALIGNED(virt, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
        panic("paging: 0x%llx + 0x%llx is not a whole number of 4 KiB pages",
              (unsigned long long)virt, (unsigned long long)size);
    /* Both ends canonical and in the same half: the range does not run into the hole. */
    if (last < virt || !is_canonical(virt) || !is_canonical(last) || (virt >> 47) != (last >> 47))
        panic("paging: 0x%llx + 0x%llx is not canonical", (unsigned long long)virt,
              (unsigned long long)size);
}

/* Checks a map request and returns the leaf flags to use. */
static uint64_t check_map(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    check_virt_range(virt, size);
    if (!IS_ALIGNED(phys, PAGE_SIZE) || size > PHYS_ADDR_LIMIT || phys > PHYS_ADDR_LIMIT - size)
        panic("paging: bad physical address 0x%llx", (unsigned long long)phys);
    if (flags & ~(PAGING_MAP_FLAGS | PTE_PRESENT))
        panic("paging: flags 0x%llx are not allowed in paging_map", (unsigned long long)flags);
    /* Without EFER.NXE, bit 63 is reserved: the CPU would fault on every access to the page. */
    if (!config.nx_supported)
        flags &= ~PTE_NX;
    return flags;
}

static uint64_t new_table(void)
{
    if (config.alloc_table == NULL)
        panic("paging: paging_init has not been called");
    uint64_t phys = config.alloc_table();
    if (phys == 0)
        panic("paging: out of memory for page tables");
    if (!IS_ALIGNED(phys, PAGE_SIZE))
        panic("paging: table frame 0x%llx is not 4 KiB aligned", (unsigned long long)phys);
    /* A fresh table must say "not present" everywhere, whatever the frame held before. */
    memset(table_at(phys), 0, PAGE_SIZE);
    return phys;
}

/*
 * The entry pointing at a lower table. Permissions are the AND over all levels (NX the OR), so
 * the upper levels allow everything and each leaf decides, except that user access must be
 * allowed all the way down for a user page.
 */
static uint64_t table_entry(uint64_t table_phys, uint64_t leaf_flags)
{
    return table_phys | PTE_PRESENT | PTE_WRITABLE | (leaf_flags & PTE_USER);
}

uint64_t paging_new_root(void)
{
    return new_table();
}

/*
 * Maps one page at virt, of the largest size up to `largest` that fits what is there already:
 * where a lower table exists, it descends and maps a smaller page. Returns the size mapped.
 */
static uint64_t map_page(uint64_t root, uint64_t virt, uint64_t phys, uint64_t flags,
                         uint64_t largest)
{
    uint64_t *table = table_at(root);

    for (int level = 4;; level--) {
        uint64_t *entry = &table[level_index(virt, level)];
        uint64_t size = level_size(level);

        if (size <= largest && !(*entry & PTE_PRESENT)) {
            set_entry(entry, phys | flags | PTE_PRESENT | (level > 1 ? PTE_HUGE : 0));
            return size;
        }
        if (level == 1 || (*entry & PTE_HUGE))
            panic("paging: 0x%llx is already mapped", (unsigned long long)virt);
        if (!(*entry & PTE_PRESENT))
            set_entry(entry, table_entry(new_table(), flags));
        else if (flags & PTE_USER)
            set_entry(entry, *entry | PTE_USER);
        table = table_at(*entry & PTE_ADDR_MASK);
    }
}

void paging_map(uint64_t root, uint64_t virt, uint64_t phys, uint64_t flags)
{
    flags = check_map(virt, phys, PAGE_SIZE, flags);
    map_page(root, virt, phys, flags, PAGE_SIZE);
}

void paging_map_range(uint64_t root, uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    flags = check_map(virt, phys, size, flags);

    while (size > 0) {
        uint64_t largest = PAGE_SIZE;
        if (config.huge_1g_supported && IS_ALIGNED(virt | phys, PAGE_SIZE_1G) &&
            size >= PAGE_SIZE_1G)
            largest = PAGE_SIZE_1G;
        else if (IS_ALIGNED(virt | phys, PAGE_SIZE_2M) && size >= PAGE_SIZE_2M)
            largest = PAGE_SIZE_2M;

        uint64_t mapped = map_page(root, virt, phys, flags, largest);
        virt += mapped;
        phys += mapped;
        size -= mapped;
    }
}

/*
 * Replaces the large page in *entry (at level 3 or 2) by a table of 512 pages one level down
 * that map the same memory with the same flags.
 */
static void split_large_page(uint64_t *entry, int level, uint64_t virt)
{
    uint64_t size = level_size(level);
    uint64_t child_size = level_size(level - 1);
    uint64_t base = *entry & PTE_ADDR_MASK & ~(size - 1);
    uint64_t flags = *entry & ~PTE_ADDR_MASK;
    uint64_t child_flags = flags;

    if (level - 1 == 1) {
        child_flags &= ~PTE_HUGE;
        if (*entry & PTE_PAT_LARGE)
            child_flags |= PTE_PAT_4K;
    } else {
        child_flags |= *entry & PTE_PAT_LARGE;
    }

    uint64_t table_phys = new_table();
    uint64_t *table = table_at(table_phys);
    for (size_t i = 0; i < PAGE_TABLE_ENTRIES; i++)
        table[i] = (base + i * child_size) | child_flags;
    set_entry(entry, table_entry(table_phys, flags));

    /*
     * SDM 4.10.2.3: after the page size of a range changes, the TLB may hold both sizes for it;
     * invalidate. INVLPG on any address in a large page drops that large page's entry.
     */
    mmu_invalidate_page(ALIGN_DOWN(virt, size));
}

/*
 * Changes every leaf entry in [virt, virt + size) to (entry & keep): 0 unmaps, ~PTE_WRITABLE makes
 * read-only. Large pages that straddle an edge are split first. Says whether anything was mapped.
 */
static bool change_pages(uint64_t root, uint64_t virt, uint64_t size, uint64_t keep)
{
    bool found = false;

    while (size > 0) {
        uint64_t *table = table_at(root);
        uint64_t step;

        for (int level = 4;; level--) {
            uint64_t *entry = &table[level_index(virt, level)];
            uint64_t page = level_size(level);

            if (!(*entry & PTE_PRESENT)) {
                /* Nothing below this entry: skip to the end of what it covers. */
                step = page - (virt & (page - 1));
                break;
            }
            bool leaf = level == 1 || (*entry & PTE_HUGE);
            if (leaf && IS_ALIGNED(virt, page) && size >= page) {
                set_entry(entry, *entry & keep);
                mmu_invalidate_page(virt);
                found = true;
                step = page;
                break;
            }
            if (leaf)
                split_large_page(entry, level, virt);
            table = table_at(*entry & PTE_ADDR_MASK);
        }
        if (step >= size)
            break;
        virt += step;
        size -= step;
    }
    return found;
}

bool paging_unmap(uint64_t root, uint64_t virt)
{
    check_virt_range(virt, PAGE_SIZE);
    return change_pages(root, virt, PAGE_SIZE, 0);
}

void paging_unmap_range(uint64_t root, uint64_t virt, uint64_t size)
{
    check_virt_range(virt, size);
    change_pages(root, virt, size, 0);
}

void paging_write_protect_range(uint64_t root, uint64_t virt, uint64_t size)
{
    check_virt_range(virt, size);
    change_pages(root, virt, size, ~PTE_WRITABLE);
}

bool paging_translate(uint64_t root, uint64_t virt, struct paging_mapping *out)
{
    if (!is_canonical(virt))
        panic("paging: 0x%llx is not canonical", (unsigned long long)virt);

    uint64_t *table = table_at(root);
    for (int level = 4;; level--) {
        uint64_t entry = table[level_index(virt, level)];

        if (!(entry & PTE_PRESENT))
            return false;
        if (level == 1 || (entry & PTE_HUGE)) {
            uint64_t size = level_size(level);
            out->phys = (entry & PTE_ADDR_MASK & ~(size - 1)) | (virt & (size - 1));
            out->flags = entry & (PTE_PRESENT | PAGING_MAP_FLAGS | PTE_ACCESSED | PTE_DIRTY);
            out->page_size = size;
            return true;
        }
        table = table_at(entry & PTE_ADDR_MASK);
    }
}
