/*
 * The heap's stand-in CPUs (tests/host/heap_cpu_double.h): this_cpu(), the interrupt flag, the
 * pause and the clock a spinlock's wait uses. The CPUs are entries of the kernel's own table
 * (kernel/cpu.c), since the heap walks it for every CPU's free blocks.
 */
#define _POSIX_C_SOURCE 200809L /* sched_yield, clock_gettime */
#include "tests/host/heap_cpu_double.h"

#include <sched.h>
#include <time.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/cpu.h"

static _Thread_local unsigned current;
static _Thread_local bool interrupts_on = true;

void heap_cpu_double_use(unsigned index)
{
    while (cpu_count() <= index)
        cpu_add(cpu_count());
    current = index;
}

bool heap_cpu_double_interrupts_on(void)
{
    return interrupts_on;
}

struct cpu *this_cpu(void)
{
    return cpu_get(current);
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = interrupts_on;

    interrupts_on = false;
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    interrupts_on = flags != 0;
}

/* More stand-in CPUs than cores: a waiting one lets the holder run. */
void arch_spin_pause(void)
{
    sched_yield();
}

/* The host's own monotonic clock: a spinlock reports a wait only after real seconds. */
uint64_t clock_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
}
