/* Named CPUID feature checks (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, appendix E). */
#include "arch/x86_64/cpu_features.h"

#include <stdint.h>

#include "arch/x86_64/cpu.h"

#define CPUID_EXTENDED_MAX      0x80000000U
#define CPUID_EXTENDED_FEATURES 0x80000001U

#define CPUID_80000001_EDX_NX       (1U << 20)
#define CPUID_80000001_EDX_PAGE_1GB (1U << 26)

/* EDX of leaf 0x80000001, or 0 on a CPU without it (entry32.asm already insisted it exists). */
static uint32_t extended_features_edx(void)
{
    if (cpuid(CPUID_EXTENDED_MAX).eax < CPUID_EXTENDED_FEATURES)
        return 0;
    return cpuid(CPUID_EXTENDED_FEATURES).edx;
}

bool cpu_has_nx(void)
{
    return extended_features_edx() & CPUID_80000001_EDX_NX;
}

bool cpu_has_1g_pages(void)
{
    return extended_features_edx() & CPUID_80000001_EDX_PAGE_1GB;
}
