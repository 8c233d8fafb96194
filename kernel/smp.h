/*
 * Every CPU: the kmain step that starts the application processors (APs) the MADT lists, and
 * what they run once started. How an AP gets from its first instruction to smp_ap_main is the
 * architecture's (arch/x86_64/cpu/smp_boot.c, boot/ap_trampoline.asm).
 */
#pragma once

#include <stdnoreturn.h>

#include "kernel/cpu.h"

/*
 * The kmain step after clock_init: starts every AP the MADT lists as enabled or online-capable,
 * one at a time, each within a bounded time; one that does not come up is reported and left
 * out. Without a MADT, or with one CPU, nothing happens.
 */
void smp_init(void);

/* The boot facts' line, with several CPUs: "smp: 4 of 4 CPUs online, APIC ids 0-3". */
void smp_print_facts(void);

/* For the monitor's `cpus`: one line per CPU. */
void smp_print_cpus(void);

/* An AP's last step of start-up: its tick, then online, then idle for good. Interrupts off. */
noreturn void smp_ap_main(struct cpu *cpu);
