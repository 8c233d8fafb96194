/* The page attribute table: which memory type each PAT:PCD:PWT combination of a page selects. */
#pragma once

#define MSR_IA32_PAT 0x277U

/*
 * Programs IA32_PAT as arch/x86_64/mm/paging.h's PTE_TYPE_* expect (entry 1 write-combining, the
 * others at their power-on values), once, on the boot CPU; later calls do nothing. Must come
 * before the first PTE_TYPE_WC mapping. On a CPU without PAT (none is 64-bit) entry 1 stays
 * write-through.
 */
void pat_init(void);
/*
 * The same on an AP, every time: the SDM (vol. 3A, 11.12.4) asks that every CPU's PAT hold the
 * same types, since they share the page tables.
 */
void pat_load(void);
