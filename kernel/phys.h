/*
 * Physical memory as the kernel sees it: ranges of physical addresses, and the one window through
 * which kernel code reads and writes physical memory (page tables, the frame allocator's bitmap).
 */
#pragma once

#include <stdint.h>

/* A run of physical memory: [base, base + length). */
struct phys_range {
    uint64_t base;
    uint64_t length;
};

/*
 * The window: physical address p is reachable at virtual address p + offset, for every p below
 * limit that is mapped. Early on it is the boot page tables' direct map, which holds the boot
 * information, and from arch_map_memory_early (kernel/arch.h) on also the memory below 4 GiB that
 * the frame allocator may use. Once the kernel's own tables are live, it is their direct map
 * (arch/x86_64/kernel_page_tables.h), which reaches all memory and the framebuffer. Both have
 * holes where there is neither (reserved ranges, device memory): an access there faults. Host
 * tests point it at a malloc'd block that plays the part of physical memory.
 */
void phys_window_set(uintptr_t offset, uint64_t limit);

/* The first physical address the window does not reach. */
uint64_t phys_window_limit(void);

/* Where physical address phys can be accessed; panics if the window does not reach it. */
void *phys_to_virt(uint64_t phys);
