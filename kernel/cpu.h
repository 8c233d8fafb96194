/*
 * The processors keel runs on. Each has a struct cpu: the CPU itself reaches its own through
 * this_cpu() (one load through the GS base on x86_64, no lookup, no lock), everyone else through
 * cpu_get(index). Index 0 is the boot CPU; the application processors (APs) follow in the order
 * the MADT lists them (kernel/smp.h starts them).
 *
 * Each subsystem that needs a per-CPU part adds its field here, with a comment saying who writes
 * it: a CPU's own fields are written only by that CPU, unless the comment says otherwise.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kmalloc_cpu.h"

/* The most CPUs keel runs; the MADT's others are reported and left halted. */
#define CPU_MAX 64

struct cpu {
    struct cpu *self;  /* this_cpu() reads it through the GS base: must stay first */
    unsigned index;    /* 0: the boot CPU */
    uint32_t apic_id;  /* set by the CPU itself once its local APIC is on */
    bool online;       /* set by the CPU itself, last thing before it idles; never cleared */
    uint64_t ticks;    /* the CPU's own timer ticks */
    uint64_t start_ns; /* AP: from its INIT IPI to online, kept by the boot CPU; 0 for CPU 0 */
    void *arch;        /* arch/x86_64: its GDT, TSS and stacks (struct arch_cpu) */
    struct heap_cpu_cache heap; /* kernel/kmalloc_cpu.c: this CPU's free small blocks */
    /* kernel/selftest.c: the innermost selftest_catch_fault waiting on this CPU, or NULL */
    struct fault_catcher *fault_catcher;
};

_Static_assert(offsetof(struct cpu, self) == 0, "this_cpu() loads the pointer at offset 0");

/* The calling CPU's struct cpu (arch/x86_64/cpu/percpu.c). Valid from arch_cpu_init's first step.
 */
struct cpu *this_cpu(void);

/* The CPU with this index, NULL if there is none (index >= cpu_count()). */
struct cpu *cpu_get(unsigned index);

/* CPUs that have a struct cpu: the boot CPU and each AP that was added, online or not yet. */
unsigned cpu_count(void);

/* CPUs that reached their idle loop (cpu->online), the boot CPU included. */
unsigned cpus_online(void);

/*
 * A struct cpu for the AP with this APIC id, index cpu_count() before the call; NULL when
 * CPU_MAX are taken. Only the boot CPU calls it, before it starts the AP.
 */
struct cpu *cpu_add(uint32_t apic_id);
