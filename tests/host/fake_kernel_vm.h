/*
 * The host's stand-in for the kernel's arch_kernel_* mappings (kernel/arch.h): the frame allocator
 * and the real page-table code (arch/x86_64/mm/paging.c) run on a malloc'd fake RAM, and the
 * dynamic range is a block of the host's own address space. With `protect`, mapping a range makes
 * those host pages readable and writable and unmapping makes them inaccessible again, so an
 * overflow into a guard page, or a use after an unmap, is a SIGSEGV as it would be a #PF in the
 * kernel.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch.h"

/* Sets up ram_size bytes of fake RAM (frames above 1 MiB usable) and a dynamic range of range_size.
 */
void fake_vm_setup(uint64_t ram_size, uint64_t range_size, bool protect);
void fake_vm_teardown(void);

/* Page-table frames taken since setup, and pages invalidated (the host's INVLPG). */
extern size_t fake_vm_table_frames;
extern size_t fake_vm_invalidations;
extern uintptr_t fake_vm_last_invalidated;

/* The flags of the leaf entry mapping virt (arch/x86_64/mm/paging.h), 0 if unmapped. */
uint64_t fake_vm_pte_flags(uintptr_t virt);
