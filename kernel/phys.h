/*
 * Physical memory as the kernel sees it: ranges of physical addresses, and the one window through
 * which kernel code reads and writes physical memory (page tables, the frame allocator's bitmap).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The page, and the frame the allocator hands out: 4 KiB on x86_64. */
#define PAGE_SIZE 4096ULL

/* Below 1 MiB lie the real-mode IVT, the BIOS data area, the EBDA, VGA memory and option ROMs. */
#define LOW_MEMORY_END 0x100000ULL

/*
 * x86_64 page tables express physical addresses of at most 52 bits (Intel SDM Vol. 3A 4.1.4);
 * nothing at or above this limit can be mapped, so nothing there is memory to the kernel.
 */
#define PHYS_ADDR_LIMIT (1ULL << 52)

/* A run of physical memory: [base, base + length). */
struct phys_range {
    uint64_t base;
    uint64_t length;
};

/*
 * Ranges read one at a time rather than held in a table, so that no table's size limits them:
 * next(context, &cursor, &range) stores the range at *cursor, moves *cursor on and returns true,
 * or returns false after the last one. A walk starts with *cursor = 0; what the cursor counts is
 * the list's own business.
 */
struct phys_range_list {
    bool (*next)(const void *context, uint64_t *cursor, struct phys_range *range);
    const void *context;
};

static inline bool phys_range_next(const struct phys_range_list *list, uint64_t *cursor,
                                   struct phys_range *range)
{
    return list->next(list->context, cursor, range);
}

/* A list over an array: the context is a struct phys_range_array. */
struct phys_range_array {
    const struct phys_range *ranges;
    size_t count;
};
bool phys_range_array_next(const void *array, uint64_t *cursor, struct phys_range *range);

/*
 * The window: physical address p is reachable at virtual address p + offset, for every p below
 * limit that is mapped. Early on it is the boot page tables' direct map, which holds the boot
 * information, and from arch_map_memory_early (kernel/arch.h) on also the memory below 4 GiB that
 * the frame allocator may use. Once the kernel's own tables are live, it is their direct map
 * (arch/x86_64/mm/kernel_page_tables.h), which reaches all memory and the framebuffer. Both have
 * holes where there is neither (reserved ranges, device memory): an access there faults. Host
 * tests point it at a malloc'd block that plays the part of physical memory.
 */
void phys_window_set(uintptr_t offset, uint64_t limit);

/* The first physical address the window does not reach. */
uint64_t phys_window_limit(void);

/* Where physical address phys can be accessed; panics if the window does not reach it. */
void *phys_to_virt(uint64_t phys);
