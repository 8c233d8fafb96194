/*
 * The few privileged instructions that paging needs: loading a root table, invalidating a TLB
 * entry, and the two control bits that make page permissions bite. Host test builds
 * (KEEL_HOST_TEST) get plain declarations instead, so a test can supply a recording stand-in.
 */
#pragma once

#include <stdint.h>

/* Intel SDM Vol. 3A 2.5: CR0.WP (bit 16) makes read-only pages read-only for the kernel too. */
#define CR0_WRITE_PROTECT (1ULL << 16)
/* Intel SDM Vol. 3A 2.2.1: IA32_EFER (MSR 0xc0000080), bit 11 NXE enables the NX bit. */
#define MSR_EFER       0xc0000080U
#define EFER_NX_ENABLE (1ULL << 11)
/* SDM Vol. 3A 4.5.2: CR3 bits 51..12 hold the PML4 address; the low bits are PCD, PWT, PCID. */
#define CR3_ADDR_MASK 0x000ffffffffff000ULL

#ifdef KEEL_HOST_TEST

void mmu_invalidate_page(uint64_t virt);
void mmu_load_root(uint64_t pml4_phys);
uint64_t mmu_current_root(void);
void mmu_enable_nx(void);
void mmu_enable_write_protect(void);

#else

/* Drops the TLB's translation of the page holding virt, whatever its size (SDM 4.10.4.1). */
static inline void mmu_invalidate_page(uint64_t virt)
{
    __asm__ volatile("invlpg (%0)" : : "r"(virt) : "memory");
}

/* Switches to another set of tables; flushes every TLB entry not marked global. */
static inline void mmu_load_root(uint64_t pml4_phys)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(pml4_phys) : "memory");
}

static inline uint64_t mmu_current_root(void)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    return cr3 & CR3_ADDR_MASK;
}

/* Only when CPUID 0x80000001 EDX bit 20 says NX exists: on other CPUs EFER.NXE is reserved. */
static inline void mmu_enable_nx(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
    lo |= (uint32_t)EFER_NX_ENABLE;
    __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(MSR_EFER));
}

static inline void mmu_enable_write_protect(void)
{
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WRITE_PROTECT) : "memory");
}

#endif
