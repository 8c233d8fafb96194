/* Named CPUID feature checks (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, appendix E). */
#include "arch/x86_64/cpu/cpu_features.h"

#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "kernel/compiler.h"

/* Leaf 0 and leaf 0x80000000 give, in EAX, the highest basic and extended leaf the CPU has. */
#define CPUID_BASIC_MAX         0x00000000U
#define CPUID_BASIC_FEATURES    0x00000001U
#define CPUID_STRUCTURED        0x00000007U /* subleaf 0: structured extended features */
#define CPUID_EXTENDED_MAX      0x80000000U
#define CPUID_EXTENDED_FEATURES 0x80000001U

#define CPUID_1_ECX_X2APIC (1U << 21)
#define CPUID_1_ECX_RDRAND (1U << 30)
/* Reserved (0) on real CPUs; hypervisors set it so that guests can tell. */
#define CPUID_1_ECX_HYPERVISOR (1U << 31)

#define CPUID_1_EDX_MCE  (1U << 7)  /* machine-check exception */
#define CPUID_1_EDX_APIC (1U << 9)  /* an on-chip local APIC */
#define CPUID_1_EDX_MCA  (1U << 14) /* machine-check architecture: MCG_CAP and the banks */
#define CPUID_1_EDX_PAT  (1U << 16) /* page attribute table */

#define CPUID_7_EBX_SMEP   (1U << 7)
#define CPUID_7_EBX_RDSEED (1U << 18)
#define CPUID_7_EBX_SMAP   (1U << 20)
#define CPUID_7_ECX_UMIP   (1U << 2)

#define CPUID_80000001_EDX_NX       (1U << 20)
#define CPUID_80000001_EDX_PAGE_1GB (1U << 26)

/*
 * The leaves keel looks at, read once, on first use: that is the stack protector's choice of a
 * canary in the first line of kmain, long before arch_protect_boot_data() makes them read-only.
 */
static struct {
    bool read;
    struct cpuid_result basic, structured, extended;
} leaves __ro_after_init;

/*
 * A leaf above the highest one returns another leaf's data on Intel CPUs (SDM Vol. 2A, CPUID), so
 * each feature leaf is read only once its group's maximum says it exists; 0 otherwise. Every
 * 64-bit CPU has leaves 1 and 0x80000001, but the check costs nothing and keeps the reads honest.
 */
static struct cpuid_result feature_leaf(uint32_t max_leaf, uint32_t leaf)
{
    if (cpuid(max_leaf).eax < leaf)
        return (struct cpuid_result){0};
    return cpuid(leaf);
}

static void read_leaves(void)
{
    if (leaves.read)
        return;
    leaves.basic = feature_leaf(CPUID_BASIC_MAX, CPUID_BASIC_FEATURES);
    leaves.structured = feature_leaf(CPUID_BASIC_MAX, CPUID_STRUCTURED);
    leaves.extended = feature_leaf(CPUID_EXTENDED_MAX, CPUID_EXTENDED_FEATURES);
    leaves.read = true;
}

bool cpu_has_nx(void)
{
    read_leaves();
    return leaves.extended.edx & CPUID_80000001_EDX_NX;
}

bool cpu_has_1g_pages(void)
{
    read_leaves();
    return leaves.extended.edx & CPUID_80000001_EDX_PAGE_1GB;
}

bool cpu_has_hypervisor(void)
{
    read_leaves();
    return leaves.basic.ecx & CPUID_1_ECX_HYPERVISOR;
}

bool cpu_has_rdrand(void)
{
    read_leaves();
    return leaves.basic.ecx & CPUID_1_ECX_RDRAND;
}

bool cpu_has_rdseed(void)
{
    read_leaves();
    return leaves.structured.ebx & CPUID_7_EBX_RDSEED;
}

bool cpu_has_smep(void)
{
    read_leaves();
    return leaves.structured.ebx & CPUID_7_EBX_SMEP;
}

bool cpu_has_smap(void)
{
    read_leaves();
    return leaves.structured.ebx & CPUID_7_EBX_SMAP;
}

bool cpu_has_umip(void)
{
    read_leaves();
    return leaves.structured.ecx & CPUID_7_ECX_UMIP;
}

bool cpu_has_machine_check(void)
{
    read_leaves();
    return leaves.basic.edx & CPUID_1_EDX_MCE;
}

bool cpu_has_machine_check_banks(void)
{
    read_leaves();
    return leaves.basic.edx & CPUID_1_EDX_MCA;
}

/* SDM Vol. 2A, CPUID, figure 3-6: the extended family and model fields add to the base ones. */
unsigned cpu_family(void)
{
    read_leaves();
    uint32_t eax = leaves.basic.eax;
    unsigned family = eax >> 8 & 0xf;

    return family == 0xf ? family + (eax >> 20 & 0xff) : family;
}

unsigned cpu_model(void)
{
    read_leaves();
    uint32_t eax = leaves.basic.eax;
    unsigned family = eax >> 8 & 0xf, model = eax >> 4 & 0xf;

    return family == 6 || family == 0xf ? model | (eax >> 16 & 0xf) << 4 : model;
}

bool cpu_has_pat(void)
{
    return feature_leaf(CPUID_BASIC_MAX, CPUID_BASIC_FEATURES).edx & CPUID_1_EDX_PAT;
}

bool cpu_has_apic(void)
{
    read_leaves();
    return leaves.basic.edx & CPUID_1_EDX_APIC;
}

bool cpu_has_x2apic(void)
{
    read_leaves();
    return leaves.basic.ecx & CPUID_1_ECX_X2APIC;
}
