/* The time-stamp counter as a clock (tsc.c): its rate when the CPU states it, and invariance. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"

/*
 * Intel SDM vol. 2A, CPUID leaf 0x15: TSC = crystal (ECX, in Hz) * EBX / EAX. leaf 0x16 EAX: the
 * base frequency in MHz, which is the TSC's on CPUs whose leaf 0x15 leaves the crystal at 0
 * (SDM vol. 3B 18.7.3). Returns the TSC's rate and *from which leaf, or 0 when neither states it.
 * Either leaf is all zeros when the CPU does not have it.
 */
uint64_t tsc_hz_from_cpuid(struct cpuid_result leaf15, uint32_t leaf16_eax, const char **from);

/* The TSC's rate from CPUID on this CPU, or 0; *from as above. */
uint64_t tsc_stated_hz(const char **from);

/* CPUID 0x80000007 EDX bit 8: the TSC runs at one rate in every P-, C- and T-state. */
bool tsc_invariant(void);

/* The TSC, read in order with the instructions before it (arch_timestamp). */
uint64_t tsc_read(void);
