/* The time-stamp counter as the clock's counter (tsc.h). */
#include "arch/x86_64/cpu/tsc.h"

#include "kernel/arch.h"

#define CPUID_BASIC_MAX                  0x00000000U
#define CPUID_TSC_CRYSTAL                0x00000015U
#define CPUID_FREQUENCY                  0x00000016U
#define CPUID_EXTENDED_MAX               0x80000000U
#define CPUID_POWER_MGMT                 0x80000007U
#define CPUID_80000007_EDX_INVARIANT_TSC (1U << 8)

#define HZ_PER_MHZ 1000000ULL

uint64_t tsc_hz_from_cpuid(struct cpuid_result leaf15, uint32_t leaf16_eax, const char **from)
{
    uint32_t denominator = leaf15.eax, numerator = leaf15.ebx, crystal_hz = leaf15.ecx;

    *from = NULL;
    if (denominator == 0 || numerator == 0)
        return 0; /* the ratio is not enumerated */
    if (crystal_hz != 0) {
        *from = "CPUID 0x15";
        return (uint64_t)crystal_hz * numerator / denominator;
    }
    if (leaf16_eax != 0) {
        *from = "CPUID 0x16";
        return (uint64_t)leaf16_eax * HZ_PER_MHZ;
    }
    return 0;
}

uint64_t tsc_stated_hz(const char **from)
{
    uint32_t max = cpuid(CPUID_BASIC_MAX).eax;
    struct cpuid_result leaf15 =
        max >= CPUID_TSC_CRYSTAL ? cpuid(CPUID_TSC_CRYSTAL) : (struct cpuid_result){0};
    uint32_t leaf16_eax = max >= CPUID_FREQUENCY ? cpuid(CPUID_FREQUENCY).eax : 0;

    return tsc_hz_from_cpuid(leaf15, leaf16_eax, from);
}

bool tsc_invariant(void)
{
    if (cpuid(CPUID_EXTENDED_MAX).eax < CPUID_POWER_MGMT)
        return false;
    return cpuid(CPUID_POWER_MGMT).edx & CPUID_80000007_EDX_INVARIANT_TSC;
}

uint64_t tsc_read(void)
{
    return arch_timestamp();
}
