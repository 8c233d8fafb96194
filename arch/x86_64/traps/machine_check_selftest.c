/* In-kernel tests of the machine-check setup (machine_check.c). */
#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/traps/machine_check.h"
#include "kernel/selftest.h"

SELFTEST(machine_checks_raise_mc)
{
    SELFTEST_ASSERT(cpu_has_machine_check()); /* every x86_64 CPU, QEMU's included */
    SELFTEST_ASSERT(cpu_read_cr4() & CR4_MACHINE_CHECK);
}

/* Every bank reports errors: its IA32_MCi_CTL is all ones (bank 0 may belong to the BIOS). */
SELFTEST(machine_check_banks_report_errors)
{
    if (!cpu_has_machine_check_banks())
        return;
    unsigned banks = machine_check_bank_count(cpu_read_msr(MSR_MCG_CAP));
    for (unsigned bank = 1; bank < banks; bank++)
        SELFTEST_ASSERT_EQ(cpu_read_msr(MSR_MC_CTL(bank)), ~0ULL);
}
