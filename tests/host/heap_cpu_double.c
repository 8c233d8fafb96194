/* The heap's stand-in CPUs (tests/host/heap_cpu_double.h): this_cpu() and the interrupt flag. */
#define _POSIX_C_SOURCE 200809L /* sched_yield */
#include "tests/host/heap_cpu_double.h"

#include <sched.h>

#include "kernel/arch.h"
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
