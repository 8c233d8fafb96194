/*
 * Machine checks (Intel SDM vol. 3B, chapter 15 "Machine-Check Architecture"; AMD APM vol. 2,
 * chapter 9): the CPU's report of a hardware error (memory, cache, bus). Without CR4.MCE a machine
 * check shuts the CPU down; with it, it is exception 18, and the banks of MSRs say what happened.
 */
#pragma once

#include <stdint.h>

/* SDM vol. 3B, 15.3.1: the global registers. */
#define MSR_MCG_CAP         0x179U
#define MSR_MCG_STATUS      0x17aU
#define MSR_MCG_CTL         0x17bU
#define MCG_CAP_BANK_COUNT  0xffU       /* bits 7:0 */
#define MCG_CAP_CTL_PRESENT (1ULL << 8) /* IA32_MCG_CTL exists */
#define MCG_STATUS_RIPV     (1ULL << 0) /* the interrupted code can be restarted at RIP */
#define MCG_STATUS_EIPV     (1ULL << 1) /* RIP is where the error happened */
#define MCG_STATUS_MCIP     (1ULL << 2) /* a machine check is in progress */

/*
 * SDM vol. 3B, 15.3.2: each bank's four registers, from IA32_MC0_CTL at 0x400. 32 banks at most
 * (up to 0x47f): the VMX MSRs follow, so a larger MCG_CAP count is not believed.
 */
#define MCA_MAX_BANKS       32U
#define MSR_MC_CTL(bank)    (0x400U + 4U * (bank))
#define MSR_MC_STATUS(bank) (0x401U + 4U * (bank))
#define MSR_MC_ADDR(bank)   (0x402U + 4U * (bank))
#define MSR_MC_MISC(bank)   (0x403U + 4U * (bank))
#define MCI_STATUS_VAL      (1ULL << 63) /* the bank holds an error */
#define MCI_STATUS_OVER     (1ULL << 62) /* another error came while this one was still valid */
#define MCI_STATUS_UC       (1ULL << 61) /* uncorrected */
#define MCI_STATUS_MISCV    (1ULL << 59) /* IA32_MCi_MISC is valid */
#define MCI_STATUS_ADDRV    (1ULL << 58) /* IA32_MCi_ADDR is valid */
#define MCI_STATUS_PCC      (1ULL << 57) /* the processor context is corrupt */
#define MCI_STATUS_MCA_CODE 0xffffULL    /* bits 15:0, SDM vol. 3B, 15.9 */

/*
 * From arch_cpu_init, once the IDT is loaded: enables every bank's error reporting and sets
 * CR4.MCE, when CPUID says the CPU has machine checks (MCE) and banks (MCA).
 */
void machine_check_init(void);

/* The number of banks IA32_MCG_CAP reports, at most MCA_MAX_BANKS. */
unsigned machine_check_bank_count(uint64_t mcg_cap);

/* For the #MC report: MCG_STATUS and every bank whose status is valid (rdmsr on this CPU). */
void machine_check_print(void);

/*
 * What machine_check_print prints, with read_msr standing in for rdmsr (a host test passes its
 * own): MCG_STATUS, then for each of MCG_CAP's banks whose IA32_MCi_STATUS is valid, its status,
 * and its ADDR and MISC registers when the status says they are valid.
 */
void machine_check_print_banks(uint64_t (*read_msr)(uint32_t msr));
