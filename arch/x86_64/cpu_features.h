/*
 * What this CPU can do, as CPUID reports it. One raw cpuid() and a named check per feature keel
 * relies on, so callers read `cpu_has_nx()` rather than leaf numbers and bit positions.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

/* Intel SDM Vol. 2A, CPUID: leaf in EAX, subleaf in ECX (ignored by leaves without subleaves). */
static inline struct cpuid_result cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_result r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

/* Execute-disable: the NX bit in page table entries and EFER.NXE (CPUID 0x80000001 EDX bit 20). */
bool cpu_has_nx(void);

/* 1 GiB pages in the PDPT (CPUID 0x80000001 EDX bit 26, "pdpe1gb"). */
bool cpu_has_1g_pages(void);

/* Running under a hypervisor (CPUID 1 ECX bit 31, set by QEMU, KVM, VMware, Hyper-V...). */
bool cpu_is_virtual_machine(void);
