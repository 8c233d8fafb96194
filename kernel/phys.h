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
 * limit. Early on it is the boot page tables' direct map of the first 4 GiB; once the kernel's own
 * tables are live, their direct map of all memory (arch/x86_64/memory_layout.h). Host tests
 * point it at a malloc'd block that plays the part of physical memory.
 */
void phys_window_set(uintptr_t offset, uint64_t limit);

/* The first physical address the window does not reach. */
uint64_t phys_window_limit(void);

/* Where physical address phys can be accessed; panics if the window does not reach it. */
void *phys_to_virt(uint64_t phys);
