/*
 * The kernel's own page tables, which replace the boot ones: the kernel image with the rights
 * each section needs (W^X), and the direct map of physical memory. Also the small API the rest
 * of the kernel uses to map and unmap pages in them.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/mm/paging.h"
#include "kernel/boot_info.h"

/*
 * arch_paging_init (kernel/arch.h) builds the tables with frames from the frame allocator, turns
 * on EFER.NXE (when the CPU has NX) and CR0.WP, and switches CR3 to them. From then on:
 *   - [KERNEL_VMA...]: .text read+execute, .rodata read-only, .data.ro_after_init, .data and .bss
 *     read+write, neither executable (when the CPU has NX); the boot stack's guard page unmapped;
 *     arch_protect_boot_data (kernel/arch.h) later makes .data.ro_after_init read-only too;
 *   - [DIRECT_MAP_BASE + p], read+write, not executable: write-back for every p in memory (the
 *     memory map's available, ACPI and NVS ranges), the boot information and the modules;
 *     write-combining for the framebuffer (wherever it lies); uncached for the VGA text page.
 *     Reserved ranges and holes are not mapped, and no large page spans two of these kinds;
 *   - nothing else. In particular the low identity map is gone, so a null pointer faults.
 * The physical memory window (kernel/phys.h) then spans the direct map.
 */
/* The PML4's physical address (CR3). */
uint64_t kernel_page_tables_root(void);

/*
 * Maps [virt, virt + size) to [phys, phys + size) in the kernel's tables; flags from
 * PAGING_MAP_FLAGS (arch/x86_64/mm/paging.h), e.g. PTE_WRITABLE | PTE_NX for data. Panics if any
 * page is already mapped. Large pages are used where alignment allows.
 */
void kernel_map(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags);

/* Unmaps [virt, virt + size), flushed from every online CPU's TLB (tlb.h); holes are skipped. */
void kernel_unmap(uint64_t virt, uint64_t size);
