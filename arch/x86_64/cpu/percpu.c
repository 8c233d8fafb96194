/* this_cpu() through the GS base (arch/x86_64/cpu/percpu.h). */
#include "arch/x86_64/cpu/percpu.h"

#include "arch/x86_64/cpu/cpu.h"

void percpu_load(struct cpu *cpu)
{
    cpu_write_msr(MSR_GS_BASE, (uint64_t)(uintptr_t)cpu);
}

struct cpu *this_cpu(void)
{
    struct cpu *cpu;

    __asm__("movq %%gs:0, %0" : "=r"(cpu));
    return cpu;
}
