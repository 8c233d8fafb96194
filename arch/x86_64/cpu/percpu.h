/*
 * How a CPU finds its struct cpu (kernel/cpu.h): IA32_GS_BASE holds its address, and the struct's
 * first field points to itself, so this_cpu() is one load, %gs:0. The kernel never loads a
 * selector into GS after percpu_load, which would change the base on some CPUs.
 */
#pragma once

#include "kernel/cpu.h"

/* Intel SDM vol. 4, table 2-2: the base of GS in 64-bit mode. */
#define MSR_GS_BASE 0xc0000101u

/* Makes cpu this CPU's struct cpu. */
void percpu_load(struct cpu *cpu);
