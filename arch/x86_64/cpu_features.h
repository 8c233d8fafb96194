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
