/*
 * The CPU the kernel runs on, played for host tests (cpu_double.c): each thread is a CPU with a
 * struct cpu of its own (this_cpu()), an interrupt flag of its own, a pause a test can hook and a
 * clock (clock_ns()) that moves only when a test moves it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

/* Makes the calling thread CPU index (every thread starts as CPU 0). */
void cpu_double_become(unsigned index);

/* Called from each arch_spin_pause of the calling thread while set (NULL: none). */
extern _Thread_local void (*cpu_double_on_pause)(void);

/* What clock_ns() returns, in every thread. */
extern uint64_t cpu_double_now_ns;

/* The calling thread's interrupt flag (on at first), for tests of what a lock does to it. */
bool cpu_double_interrupts_on(void);
void cpu_double_set_interrupts(bool on);
