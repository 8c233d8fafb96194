/* Named CPUID feature checks (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, appendix E). */
#include "arch/x86_64/cpu_features.h"

#define CPUID_BASIC_FEATURES    0x00000001U
#define CPUID_EXTENDED_MAX      0x80000000U
#define CPUID_EXTENDED_FEATURES 0x80000001U

#define CPUID_1_ECX_HYPERVISOR      (1U << 31)
#define CPUID_80000001_EDX_NX       (1U << 20)
#define CPUID_80000001_EDX_PAGE_1GB (1U << 26)

/* EDX of leaf 0x80000001, or 0 on a CPU without it (entry32.asm already insisted it exists). */
static uint32_t extended_features_edx(void)
{
    if (cpuid(CPUID_EXTENDED_MAX, 0).eax < CPUID_EXTENDED_FEATURES)
        return 0;
    return cpuid(CPUID_EXTENDED_FEATURES, 0).edx;
}

bool cpu_has_nx(void)
{
    return extended_features_edx() & CPUID_80000001_EDX_NX;
}

bool cpu_has_1g_pages(void)
{
    return extended_features_edx() & CPUID_80000001_EDX_PAGE_1GB;
}

bool cpu_is_virtual_machine(void)
{
    return cpuid(CPUID_BASIC_FEATURES, 0).ecx & CPUID_1_ECX_HYPERVISOR;
}
