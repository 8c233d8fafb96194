/*
 * Where things are in the virtual address space. The boot assembly (boot/boot.inc) and the linker
 * script hold the same numbers.
 *
 *   0xffff800000000000  direct map: all of physical memory, at this offset
 *   0xffffffff80000000  the kernel image, as linked (-mcmodel=kernel: the top 2 GiB)
 */
#pragma once

#include <stdint.h>

#define DIRECT_MAP_BASE 0xffff800000000000ull
#define KERNEL_VMA      0xffffffff80000000ull

/* How much of physical memory, from address 0, the boot page tables (boot/entry32.asm) map. */
#define BOOT_DIRECT_MAP_SIZE (4ull << 30)

/*
 * The virtual address at which the kernel sees a physical address. The boot page tables map the
 * first 4 GiB this way; the kernel's own page tables map all of RAM and the framebuffer.
 */
static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(DIRECT_MAP_BASE + phys);
}

/* The physical address of a symbol in the kernel image (linked at KERNEL_VMA + physical). */
static inline uint64_t kernel_virt_to_phys(const void *virt)
{
    return (uint64_t)(uintptr_t)virt - KERNEL_VMA;
}
