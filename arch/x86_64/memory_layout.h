/* Where things are in the virtual address space. The linker script holds the same numbers. */
#pragma once

#include <stdint.h>

/* The kernel is linked here, the top 2 GiB (-mcmodel=kernel); it maps physical [0, 2 GiB). */
#define KERNEL_VMA 0xffffffff80000000ull

/* A physical address below 2 GiB, as seen through the kernel window of the boot page tables. */
static inline void *kernel_window(uint64_t phys)
{
    return (void *)(uintptr_t)(KERNEL_VMA + phys);
}
