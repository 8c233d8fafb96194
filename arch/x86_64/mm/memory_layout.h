/*
 * Where things live in keel's virtual address space on x86_64. With 4-level paging an address
 * must be canonical (bits 63..47 all equal), which splits the space into a lower half for user
 * programs and an upper half, from 0xffff800000000000, for the kernel. The boot assembly
 * (boot/boot.inc) and the linker script hold the same numbers.
 *
 *   0xffff800000000000  direct map: all of physical memory, at this offset
 *   0xffffc00000000000  dynamic mappings: the heap's slabs and large blocks, device memory
 *   0xffffffff80000000  the kernel image, as linked
 */
#pragma once

#include <stdint.h>

/*
 * The direct map: physical address p is at virtual DIRECT_MAP_BASE + p (PML4 slots 256..383,
 * 64 TiB at most). Before the kernel's own tables, only addresses below BOOT_DIRECT_MAP_SIZE are
 * mapped this way, and only what kmain's first steps need (arch/x86_64/mm/boot_page_tables.c); the
 * kernel's own tables map all of RAM and the framebuffer.
 */
#define DIRECT_MAP_BASE      0xffff800000000000ULL
#define DIRECT_MAP_MAX_SIZE  (64ULL << 40)
#define BOOT_DIRECT_MAP_SIZE (4ULL << 30)

/*
 * Dynamic mappings (kernel/vm.h): 1 TiB from PML4 slot 384, above the direct map's 64 TiB, handed
 * out page by page at run time. Nothing is mapped there until vm_alloc or vm_map_phys asks.
 */
#define KERNEL_DYNAMIC_BASE 0xffffc00000000000ULL
#define KERNEL_DYNAMIC_SIZE (1ULL << 40)

/*
 * The kernel image: linked at KERNEL_VMA, loaded by GRUB at physical KERNEL_PHYS_BASE, so the
 * physical address of a kernel symbol is its address minus KERNEL_VMA (the top 2 GiB, PML4 slot
 * 511, as -mcmodel=kernel requires).
 */
#define KERNEL_VMA       0xffffffff80000000ULL
#define KERNEL_PHYS_BASE 0x1000000ULL /* 16 MiB: linker/kernel.ld says why */

/* linker/kernel.ld: the bounds of the image's sections, each page aligned (addresses only). */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __ro_after_init_start[], __ro_after_init_end[], __data_start[], __bss_end[];

static inline uint64_t kernel_virt_to_phys(const void *virt)
{
    return (uint64_t)(uintptr_t)virt - KERNEL_VMA;
}
