/* The played CPU of the host tests (cpu_double.h). */
#include "tests/host/cpu_double.h"

#include <sched.h>

#include "kernel/arch.h"
#include "kernel/clock.h"

/* .self is not set: a thread's address is not a constant, and only the real this_cpu reads it. */
static _Thread_local struct cpu cpu = {.index = 0, .online = true};
static _Thread_local bool interrupts_on = true;
_Thread_local void (*cpu_double_on_pause)(void);
uint64_t cpu_double_now_ns;

void cpu_double_become(unsigned index)
{
    cpu.index = index;
}

struct cpu *this_cpu(void)
{
    return &cpu;
}

void arch_spin_pause(void)
{
    /* More threads than cores: a waiter gives its core up, or the one it waits for may not run. */
    if (cpu_double_on_pause)
        cpu_double_on_pause();
    else
        sched_yield();
}

uint64_t clock_ns(void)
{
    return __atomic_load_n(&cpu_double_now_ns, __ATOMIC_RELAXED);
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = interrupts_on;

    interrupts_on = false;
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    if (flags)
        interrupts_on = true;
}

bool cpu_double_interrupts_on(void)
{
    return interrupts_on;
}

void cpu_double_set_interrupts(bool on)
{
    interrupts_on = on;
}
