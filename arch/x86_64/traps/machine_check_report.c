/* The banks part of the #MC report: kept apart from the MSR access so a host test can run it. */
#include "arch/x86_64/traps/machine_check.h"

#include <stdbool.h>

#include "kernel/compiler.h"
#include "kernel/kprintf.h"

static void print_global_status(uint64_t status, unsigned banks)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } bits[] = {{MCG_STATUS_RIPV, "RIPV"}, {MCG_STATUS_EIPV, "EIPV"}, {MCG_STATUS_MCIP, "MCIP"}};

    kprintf(" MCG_STATUS %016llx [", (unsigned long long)status);
    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (status & bits[i].bit)
            kprintf(" %s", bits[i].name);
    }
    kprintf(" ], %u banks\n", banks);
}

/* One bank: its registers on one line, what the status says on the next. */
static void print_bank(unsigned bank, uint64_t status, uint64_t (*read_msr)(uint32_t msr))
{
    kprintf(" bank %u: status %016llx", bank, (unsigned long long)status);
    if (status & MCI_STATUS_ADDRV)
        kprintf(" addr %016llx", (unsigned long long)read_msr(MSR_MC_ADDR(bank)));
    if (status & MCI_STATUS_MISCV)
        kprintf(" misc %016llx", (unsigned long long)read_msr(MSR_MC_MISC(bank)));
    kprintf("\n   %s%s%s, MCA error code %04llx\n",
            status & MCI_STATUS_UC ? "uncorrected" : "corrected",
            status & MCI_STATUS_PCC ? ", processor context corrupt" : "",
            status & MCI_STATUS_OVER ? ", overflowed (errors were lost)" : "",
            (unsigned long long)(status & MCI_STATUS_MCA_CODE));
}

unsigned machine_check_bank_count(uint64_t mcg_cap)
{
    unsigned banks = (unsigned)(mcg_cap & MCG_CAP_BANK_COUNT);

    return banks < MCA_MAX_BANKS ? banks : MCA_MAX_BANKS;
}

void machine_check_print_banks(uint64_t (*read_msr)(uint32_t msr))
{
    unsigned banks = machine_check_bank_count(read_msr(MSR_MCG_CAP));
    bool any = false;

    print_global_status(read_msr(MSR_MCG_STATUS), banks);
    for (unsigned bank = 0; bank < banks; bank++) {
        uint64_t status = read_msr(MSR_MC_STATUS(bank));
        if (status & MCI_STATUS_VAL) {
            print_bank(bank, status, read_msr);
            any = true;
        }
    }
    if (!any)
        kprintf(" no bank holds a valid error\n");
}
