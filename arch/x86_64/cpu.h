/* Reading the CPU's identity and its control registers: CPUID, CR0-CR4, model-specific registers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Intel SDM vol. 3A, 2.2.1: IA32_EFER, the extended feature enable register. */
#define MSR_EFER 0xc0000080U

/* CPUID.1:ECX bit 31 is reserved (0) on real CPUs; hypervisors set it (Intel SDM vol. 2A, CPUID).
 */
#define CPUID_1_ECX_HYPERVISOR (1u << 31)

struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_result cpuid(uint32_t leaf)
{
    struct cpuid_result r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(0));
    return r;
}

static inline bool cpu_has_hypervisor(void)
{
    return cpuid(1).ecx & CPUID_1_ECX_HYPERVISOR;
}

static inline uint64_t cpu_read_msr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

#define DEFINE_READ_CR(n)                                                                          \
    static inline uint64_t cpu_read_cr##n(void)                                                    \
    {                                                                                              \
        uint64_t value;                                                                            \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(value));                                      \
        return value;                                                                              \
    }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR
