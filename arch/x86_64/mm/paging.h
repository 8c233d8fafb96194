/*
 * x86_64 4-level page tables: build and change mappings in a tree rooted at a PML4. Tables are
 * reached through phys_to_virt (kernel/phys.h), so the same code works on the boot identity map,
 * on the direct map, and on fake memory in host tests.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/phys.h"

/*
 * Entry bits, the same at every level unless noted (Intel SDM Vol. 3A 4.5, tables 4-14 to 4-20).
 * A mapping is only writable / user-accessible if every level on the way allows it.
 */
#define PAGE_TABLE_ENTRIES 512 /* in a table of any level: 9 bits of the address each */

#define PTE_PRESENT       (1ULL << 0)
#define PTE_WRITABLE      (1ULL << 1)
#define PTE_USER          (1ULL << 2)
#define PTE_WRITE_THROUGH (1ULL << 3)
#define PTE_CACHE_DISABLE (1ULL << 4)
#define PTE_ACCESSED      (1ULL << 5)  /* set by the CPU on use */
#define PTE_DIRTY         (1ULL << 6)  /* set by the CPU on write; leaf entries only */
#define PTE_HUGE          (1ULL << 7)  /* PS: in a PDPT / PD entry, maps a 1 GiB / 2 MiB page */
#define PTE_GLOBAL        (1ULL << 8)  /* leaf only: survives CR3 reloads when CR4.PGE is on */
#define PTE_NX            (1ULL << 63) /* no instruction fetch; reserved unless EFER.NXE */
#define PTE_ADDR_MASK     0x000ffffffffff000ULL /* bits 51..12 */

/* The 4 KiB page is PAGE_SIZE (kernel/phys.h); these are the large ones. */
#define PAGE_SIZE_2M (1ULL << 21)
#define PAGE_SIZE_1G (1ULL << 30)

/*
 * Memory types. keel programs IA32_PAT (MSR 0x277) so that entry 1 is write-combining and keeps
 * the power-on value of the others (Intel SDM Vol. 3A 11.12.2): entry 0 WB, 2 UC-, 3 UC. A page's
 * PAT index is PAT:PCD:PWT (SDM Vol. 3A 11.12.3), so these types need neither PAT bit, whose
 * position differs between 4 KiB and large pages. Before IA32_PAT is written, PTE_TYPE_WC maps
 * write-through, which is slow but safe for video memory.
 */
#define PTE_TYPE_WB 0ULL
#define PTE_TYPE_WC PTE_WRITE_THROUGH
#define PTE_TYPE_UC (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH)

/* The flags a caller may pass to paging_map*, besides PTE_PRESENT, which is always implied. */
#define PAGING_MAP_FLAGS                                                                           \
    (PTE_WRITABLE | PTE_USER | PTE_WRITE_THROUGH | PTE_CACHE_DISABLE | PTE_GLOBAL | PTE_NX)

/* Returns a free 4 KiB frame's physical address (any contents), or 0 when memory is out. */
typedef uint64_t (*paging_alloc_fn)(void);

struct paging_config {
    /* Where new tables come from; each frame must be reachable through phys_to_virt. */
    paging_alloc_fn alloc_table;
    /* CPUID 0x80000001 EDX bit 20. When false, PTE_NX is silently dropped from every mapping. */
    bool nx_supported;
    /* CPUID 0x80000001 EDX bit 26 (pdpe1gb). When false, paging_map_range stops at 2 MiB. */
    bool huge_1g_supported;
};

/* What paging_translate found. */
struct paging_mapping {
    uint64_t phys;      /* the physical address virt translates to (offset within page kept) */
    uint64_t flags;     /* the leaf entry's bits: PTE_PRESENT and PAGING_MAP_FLAGS, A and D */
    uint64_t page_size; /* PAGE_SIZE, PAGE_SIZE_2M or _1G */
};

/* Must come before any other call; the config is copied. */
void paging_init(const struct paging_config *config);

/* A new, empty PML4; returns its physical address, the value CR3 takes. */
uint64_t paging_new_root(void);

/*
 * Maps the 4 KiB page at virt to the frame at phys. Both must be 4 KiB aligned and virt
 * canonical; flags from PAGING_MAP_FLAGS. Missing tables are allocated and zeroed. Panics if
 * anything is already mapped at virt (change a mapping by unmapping it first) or if no frame is
 * left for a table. No TLB flush is needed: the CPU never caches a not-present entry.
 */
void paging_map(uint64_t root, uint64_t virt, uint64_t phys, uint64_t flags);

/*
 * Maps [virt, virt + size) to [phys, phys + size), size a multiple of 4 KiB. Uses a 1 GiB page
 * (only when huge_1g_supported) or a 2 MiB page wherever virt and phys are both aligned to that
 * size, at least that much of the range is left, and no table for smaller pages is there
 * already; 4 KiB pages everywhere else. Same checks and panics as paging_map.
 */
void paging_map_range(uint64_t root, uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags);

/*
 * Unmaps the 4 KiB page at virt and invalidates its TLB entry. If virt lies in a 2 MiB or 1 GiB
 * page, that page is first split into smaller ones mapping the same memory with the same flags
 * (allocating tables), so only the 4 KiB at virt go away. Returns false if nothing was mapped.
 */
bool paging_unmap(uint64_t root, uint64_t virt);

/*
 * Unmaps everything in [virt, virt + size), size a multiple of 4 KiB; holes are skipped. Large
 * pages wholly inside the range are dropped whole; those that straddle an edge are split. Tables
 * left empty are not freed: they stay for the next mapping there.
 */
void paging_unmap_range(uint64_t root, uint64_t virt, uint64_t size);

/*
 * Makes every page mapped in [virt, virt + size) read-only, size a multiple of 4 KiB, and
 * invalidates their TLB entries; holes are skipped, large pages that straddle an edge split.
 */
void paging_write_protect_range(uint64_t root, uint64_t virt, uint64_t size);

/* Looks virt up; false (and *out untouched) if it is not mapped. Panics on non-canonical virt. */
bool paging_translate(uint64_t root, uint64_t virt, struct paging_mapping *out);
