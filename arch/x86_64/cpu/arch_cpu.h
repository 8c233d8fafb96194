/*
 * What x86_64 keeps for each CPU, behind struct cpu's arch pointer (kernel/cpu.h): its GDT and
 * TSS, and its stacks. The boot CPU's are in the kernel image (cpu.c); an AP's come from kernel
 * virtual memory when it is started (smp_boot.c).
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/cpu/gdt.h"
#include "kernel/cpu.h"

/* A CPU's stacks: its kernel stack, then one per IST slot, at index = the slot's number. */
#define CPU_STACK_KERNEL 0
#define CPU_STACKS       (1 + IST_STACKS)

struct cpu_stack {
    uintptr_t low, high; /* [low, high); an unmapped guard page lies right below low */
};

struct arch_cpu {
    struct cpu_tables tables;
    struct cpu_stack stacks[CPU_STACKS];
    uint64_t tick_deadline; /* the TSC-deadline tick's next deadline (lapic_timer.c) */
};

static inline struct arch_cpu *arch_cpu_of(const struct cpu *cpu)
{
    return cpu->arch;
}

/* The name of a CPU's stack i: "boot" or "kernel", "double fault", "NMI", "machine check". */
const char *cpu_stack_name(const struct cpu *cpu, unsigned i);
