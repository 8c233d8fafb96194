/*
 * The physical memory manager: hands out and takes back frames of RAM, PAGE_SIZE bytes each. It
 * knows nothing about page tables; callers reach a frame's contents through phys_to_virt
 * (kernel/phys.h).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/phys.h"

/* What pmm_alloc returns when no frame is left. Frame 0 is never handed out (see pmm_init). */
#define PMM_NO_FRAME 0ULL

/*
 * Takes ownership of every whole frame inside the usable ranges, minus every frame touched by an
 * excluded range, minus the first 1 MiB (BIOS data, real-mode IVT, option ROMs: never handed
 * out, whatever the map says). Ranges may overlap, be unsorted, and have unaligned edges: usable
 * edges are rounded inward, excluded edges outward. Pass the memory map's reserved entries as
 * excluded too if the firmware's map may overlap available and reserved entries.
 *
 * The bookkeeping is placed in the lowest usable memory that is excluded from nothing and lies
 * wholly below phys_window_limit(), so the window must be set first. Panics if there is no usable
 * memory or no room for the bookkeeping. Neither array is kept after the call.
 */
void pmm_init(const struct phys_range *usable, size_t usable_count,
              const struct phys_range *excluded, size_t excluded_count);

/* The same, with the ranges read from lists (kernel/phys.h), so no table has to hold them. */
void pmm_init_lists(const struct phys_range_list *usable, const struct phys_range_list *excluded);

/*
 * Usable memory pmm_init left out because it lies so far above the rest that its bitmaps would
 * cost more than 1/64 of all usable memory (a firmware bug; see pmm.c): .length bytes in total,
 * the lowest from .base. Both 0 when nothing was left out.
 */
struct phys_range pmm_ignored(void);

/* A free frame's physical address (4 KiB aligned, contents undefined), or PMM_NO_FRAME. */
uint64_t pmm_alloc(void);

/*
 * Like pmm_alloc, but only a frame that lies wholly below limit, e.g. one the current window
 * reaches (page tables built before the direct map exists). PMM_NO_FRAME if there is none.
 */
uint64_t pmm_alloc_below(uint64_t limit);

/*
 * Gives a frame back. Panics on an address that pmm_alloc could not have returned (not 4 KiB
 * aligned, outside the usable ranges, excluded, the bookkeeping) and on a frame that is already
 * free: both mean a bug somewhere that would otherwise corrupt memory later, far from its cause.
 */
void pmm_free(uint64_t phys);

/* Frames the allocator manages: usable frames less excluded ones and the bookkeeping. */
size_t pmm_total_count(void);
size_t pmm_free_count(void);
size_t pmm_used_count(void);

/*
 * The one frame below 1 MiB the allocator keeps, for the code another CPU starts in (it starts
 * in real mode, at a page below 1 MiB: kernel/smp.h): the highest whole usable frame there that
 * no excluded range touches, or PMM_NO_FRAME when the memory map has none. pmm_alloc never hands
 * it (nor anything else below 1 MiB) out.
 */
uint64_t pmm_real_mode_frame(void);

/* Where pmm_init put its bookkeeping, so it can be mapped, reported or checked by tests. */
struct phys_range pmm_bookkeeping(void);
