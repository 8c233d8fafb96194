/* The CPU's own registers: CPUID, the control registers CR0-CR4, model-specific registers. */
#pragma once

#include <stdint.h>

/* Intel SDM vol. 3A, 2.5: CR4.MCE, without which a machine check shuts the CPU down. */
#define CR4_MACHINE_CHECK (1ULL << 6)

/* Intel SDM vol. 3A, 2.2.1: IA32_EFER, the extended feature enable register. */
#define MSR_EFER 0xc0000080U

struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

/* Only for a leaf the CPU has: see cpu_features.c, which checks the highest leaf first. */
static inline struct cpuid_result cpuid(uint32_t leaf)
{
    struct cpuid_result r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(0));
    return r;
}

static inline uint64_t cpu_read_msr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpu_write_msr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr"
                     :
                     : "a"((uint32_t)value), "d"((uint32_t)(value >> 32)), "c"(msr)
                     : "memory");
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

/* The memory clobber: CR0 changes how memory accesses behave, so none may move across it. */
static inline void cpu_write_cr0(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}

static inline void cpu_write_cr4(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}
