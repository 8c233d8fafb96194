/*
 * What this CPU can do, as CPUID (arch/x86_64/cpu/cpu.h) reports it: a named check per feature keel
 * relies on, so callers read `cpu_has_nx()` rather than leaf numbers and bit positions.
 */
#pragma once

#include <stdbool.h>

/* Execute-disable: the NX bit in page table entries and EFER.NXE (CPUID 0x80000001 EDX bit 20). */
bool cpu_has_nx(void);

/* 1 GiB pages in the PDPT (CPUID 0x80000001 EDX bit 26, "pdpe1gb"). */
bool cpu_has_1g_pages(void);

/* Running in a virtual machine: CPUID 1 ECX bit 31, which real CPUs leave 0. */
bool cpu_has_hypervisor(void);

/* Machine checks raise #MC once CR4.MCE is set (CPUID 1 EDX bit 7). */
bool cpu_has_machine_check(void);

/* The machine-check architecture: MCG_CAP and the error-reporting banks (CPUID 1 EDX bit 14). */
bool cpu_has_machine_check_banks(void);

/* The CPU's family and model (CPUID 1 EAX), with the extended fields folded in. */
unsigned cpu_family(void);
unsigned cpu_model(void);

/* The RDRAND instruction: random numbers from the CPU's generator (CPUID 1 ECX bit 30). */
bool cpu_has_rdrand(void);

/* The RDSEED instruction: seeds straight from the entropy source (CPUID 7 EBX bit 18). */
bool cpu_has_rdseed(void);

/* Supervisor-mode execution prevention, CR4.SMEP (CPUID 7 EBX bit 7). */
bool cpu_has_smep(void);

/* Supervisor-mode access prevention, CR4.SMAP, and STAC/CLAC (CPUID 7 EBX bit 20). */
bool cpu_has_smap(void);

/* User-mode instruction prevention, CR4.UMIP (CPUID 7 ECX bit 2). */
bool cpu_has_umip(void);

/* The page attribute table, IA32_PAT (CPUID 1 EDX bit 16); every 64-bit CPU has it. */
bool cpu_has_pat(void);

/* A local APIC (CPUID 1 EDX bit 9): off only on CPUs older than any 64-bit one, or by firmware. */
bool cpu_has_apic(void);

/* The local APIC's x2APIC mode, its registers as MSRs (CPUID 1 ECX bit 21). */
bool cpu_has_x2apic(void);
