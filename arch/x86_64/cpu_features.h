/*
 * What this CPU can do, as CPUID (arch/x86_64/cpu.h) reports it: a named check per feature keel
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
