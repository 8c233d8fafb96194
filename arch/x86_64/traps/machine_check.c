/* Turning machine checks on, and reading the banks for the #MC report (machine_check.h). */
#include "arch/x86_64/traps/machine_check.h"

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "kernel/kprintf.h"

/*
 * SDM vol. 3B, 15.8 "Machine-Check Initialization": enable every error source (IA32_MCG_CTL
 * when present, every bank's IA32_MCi_CTL), then CR4.MCE. Bank 0 of P6 family CPUs before model
 * 0x1a belongs to the BIOS. The banks' status registers stay as they are: an error logged before
 * a warm reset is still there for the next report to show.
 */
void machine_check_init(void)
{
    if (!cpu_has_machine_check())
        return;
    if (cpu_has_machine_check_banks()) {
        uint64_t cap = cpu_read_msr(MSR_MCG_CAP);
        unsigned banks = machine_check_bank_count(cap);
        unsigned first = cpu_family() == 6 && cpu_model() < 0x1a ? 1 : 0;

        if (cap & MCG_CAP_CTL_PRESENT)
            cpu_write_msr(MSR_MCG_CTL, ~0ULL);
        for (unsigned bank = first; bank < banks; bank++)
            cpu_write_msr(MSR_MC_CTL(bank), ~0ULL);
    }
    cpu_write_cr4(cpu_read_cr4() | CR4_MACHINE_CHECK);
}

static uint64_t read_msr(uint32_t msr)
{
    return cpu_read_msr(msr);
}

void machine_check_print(void)
{
    if (!cpu_has_machine_check_banks()) {
        kprintf(" this CPU has no machine-check banks (CPUID: no MCA) to say more\n");
        return;
    }
    machine_check_print_banks(read_msr);
}
