/*
 * The boot page tables (boot/entry32.asm) while they are live, from kmain's first line until
 * arch_paging_init: the kernel adds to their direct map what its first steps need.
 */
#pragma once

#include <stdint.h>

/*
 * Makes [phys, phys + size) reachable at DIRECT_MAP_BASE + phys with memory type `type`
 * (PTE_TYPE_*, arch/x86_64/mm/paging.h), now and once the kernel's own tables are loaded, which map
 * it with the same type (kernel_page_tables.c). Returns the virtual address of phys, or NULL when
 * the boot tables have no table page left for it.
 */
void *direct_map_early(uint64_t phys, uint64_t size, uint64_t type);
