/*
 * The few privileged instructions that paging needs: loading a root table, invalidating a TLB
 * entry, and the two control bits that make page permissions bite. Host test builds
 * (KEEL_HOST_TEST) get plain declarations instead, so a test can supply a recording stand-in.
 */
#pragma once

#include <stdint.h>

/* Intel SDM Vol. 3A 2.5: CR0.WP (bit 16) makes read-only pages read-only for the kernel too. */
#define CR0_WRITE_PROTECT (1ULL << 16)
/* Intel SDM Vol. 3A 2.2.1: bit 11 of IA32_EFER (MSR_EFER, cpu.h), NXE, enables the NX bit. */
#define EFER_NX_ENABLE (1ULL << 11)
/* Bit 8, LME: long mode, active once paging is on (boot/entry32.asm, boot/ap_trampoline.asm). */
#define EFER_LONG_MODE_ENABLE (1ULL << 8)

#ifdef KEEL_HOST_TEST

void mmu_invalidate_page(uint64_t virt);
void mmu_load_root(uint64_t pml4_phys);
void mmu_enable_nx(void);
void mmu_enable_write_protect(void);

#else

#include "arch/x86_64/cpu/cpu.h"

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

/* Only when CPUID 0x80000001 EDX bit 20 says NX exists: on other CPUs EFER.NXE is reserved. */
static inline void mmu_enable_nx(void)
{
    cpu_write_msr(MSR_EFER, cpu_read_msr(MSR_EFER) | EFER_NX_ENABLE);
}

static inline void mmu_enable_write_protect(void)
{
    cpu_write_cr0(cpu_read_cr0() | CR0_WRITE_PROTECT);
}

#endif
