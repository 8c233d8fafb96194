/*
 * Where things live in keel's virtual address space on x86_64. With 4-level paging an address
 * must be canonical (bits 63..47 all equal), which splits the space into a lower half for user
 * programs and an upper half, from 0xffff800000000000, for the kernel.
 */
#pragma once

/*
 * The direct map: all physical memory, at this offset (PML4 slots 256..383, 64 TiB at most).
 * Physical address p is at virtual DIRECT_MAP_BASE + p once the kernel's own tables are live.
 */
#define DIRECT_MAP_BASE     0xffff800000000000ULL
#define DIRECT_MAP_MAX_SIZE (64ULL << 40)

/*
 * The kernel image: linked at KERNEL_VMA, loaded by GRUB at physical KERNEL_PHYS_BASE, so the
 * physical address of a kernel symbol is its address minus KERNEL_VMA (the top 2 GiB, PML4 slot
 * 511, as -mcmodel=kernel requires).
 */
#define KERNEL_VMA       0xffffffff80000000ULL
#define KERNEL_PHYS_BASE 0x100000ULL
