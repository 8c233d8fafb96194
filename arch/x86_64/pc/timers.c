/*
 * The PC's timers for the clock (kernel/clock_arch.h): the TSC; the HPET, the ACPI PM timer and
 * the PIT as references, in that order; the tick from the local APIC timer, or from the PIT on
 * IRQ 0 when the 8259 PICs stand in for the APICs.
 */
#include "kernel/clock_arch.h"

#include "arch/x86_64/apic/interrupt_controllers.h"
#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/apic/lapic_timer.h"
#include "arch/x86_64/cpu/tsc.h"
#include "arch/x86_64/pc/hpet.h"
#include "arch/x86_64/pc/pit.h"
#include "arch/x86_64/pc/pm_timer.h"
#include "kernel/irq.h"
#include "kernel/kprintf.h"

#define PIT_IRQ 0

void arch_timers_probe(struct arch_timers *timers)
{
    size_t n = 0;

    *timers = (struct arch_timers){
        .cpu = {.name = "TSC", .read = tsc_read, .bits = 64},
        .cpu_invariant = tsc_invariant(),
    };
    timers->cpu.hz = tsc_stated_hz(&timers->cpu_hz_from);
    if (hpet_counter(&timers->references[n]))
        n++;
    if (pm_timer_counter(&timers->references[n]))
        n++;
    pit_counter(&timers->references[n++]);
    timers->reference_count = n;
    /* Without a MADT the PICs deliver interrupts, and the PIT ticks. */
    if (lapic_present() && interrupt_controllers_use_apic()) {
        lapic_timer_counter(&timers->tick_timer);
        timers->tsc_deadline = lapic_timer_has_tsc_deadline();
    }
}

static void (*pit_tick_function)(void);

static void pit_interrupt(void *context)
{
    (void)context;
    pit_tick_function();
}

const char *arch_tick_start(const struct arch_timers *timers, unsigned hz, void (*tick)(void),
                            uint64_t *period_ns)
{
    if (timers->tick_timer.name) {
        /* A deadline needs the TSC's rate; the periodic mode the timer's own. */
        uint64_t tsc_hz = timers->tsc_deadline ? timers->cpu.hz : 0;
        if (tsc_hz || timers->tick_timer.hz)
            return lapic_timer_start(timers->tick_timer.hz, tsc_hz, hz, tick, period_ns);
        kprintf("keel: clock: the APIC timer's rate is unknown: the PIT ticks instead\n");
    }
    pit_tick_function = tick;
    if (!irq_register(PIT_IRQ, pit_interrupt, NULL)) {
        kprintf("keel: clock: IRQ 0 cannot be registered: no tick from the PIT\n");
        return NULL;
    }
    *period_ns = pit_start_periodic(hz);
    irq_unmask(PIT_IRQ);
    return "PIT";
}

bool arch_tick_start_this_cpu(void)
{
    return lapic_timer_start_this_cpu();
}
