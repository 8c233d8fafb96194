/*
 * Stand-in CPUs for the heap's host tests (tests/host/heap_cpu_double.c): each thread is a CPU,
 * CPU 0 until it says otherwise, with an interrupt flag of its own; the table of struct cpu is
 * the kernel's own (kernel/cpu.c).
 */
#pragma once

#include <stdbool.h>

/* The calling thread is CPU index from now on (added to the table if need be). */
void heap_cpu_double_use(unsigned index);

/* Whether the calling thread's stand-in interrupts are enabled (kmalloc must put them back). */
bool heap_cpu_double_interrupts_on(void);
