/* SMEP, SMAP and UMIP on, when CPUID reports them (see cpu_protections.h). */
#include "arch/x86_64/cpu/cpu_protections.h"

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "kernel/kprintf.h"

struct cpu_protections cpu_protections __ro_after_init;

void cpu_protections_init(void)
{
    cpu_protections = (struct cpu_protections){
        .smep = cpu_has_smep(),
        .smap = cpu_has_smap(),
        .umip = cpu_has_umip(),
    };
    cpu_protections_load();
}

void cpu_protections_load(void)
{
    uint64_t cr4 = cpu_read_cr4();

    if (cpu_protections.smep)
        cr4 |= CR4_SMEP;
    if (cpu_protections.smap) {
        /* Closed to start with: EFLAGS.AC clear, whatever the boot loader left. */
        __asm__ volatile("clac" ::: "memory");
        cr4 |= CR4_SMAP;
    }
    if (cpu_protections.umip)
        cr4 |= CR4_UMIP;
    cpu_write_cr4(cr4);
}

static const char *state(bool on)
{
    return on ? "on" : "off";
}

void cpu_protections_describe(char *text, size_t size)
{
    ksnprintf(text, size, "SMEP %s, SMAP %s, UMIP %s", state(cpu_protections.smep),
              state(cpu_protections.smap), state(cpu_protections.umip));
}
