/*
 * TEMPORARY, until the kernel builds page tables of its own (which leave out the identity map and
 * the boot stack's guard page): makes the boot page tables catch null pointers and stack overflows.
 */
#pragma once

/* Unmaps the identity map (so address 0 faults) and the boot stack's guard page. */
void boot_paging_protect(void);
