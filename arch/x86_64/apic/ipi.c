/*
 * The portable kernel's IPIs (kernel/arch.h) as local APIC commands: an smp_call is a fixed
 * interrupt at VECTOR_SMP_CALL, a stop is an NMI (Intel SDM vol. 3A, 10.6.1: delivery mode 100
 * ignores the vector and reaches the CPU even with its interrupts off).
 */
#include "arch/x86_64/apic/ipi.h"

#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/traps/interrupts.h"
#include "kernel/arch.h"
#include "kernel/cpu.h"
#include "kernel/smp_call.h"

static uint32_t command(enum arch_ipi ipi)
{
    return ipi == ARCH_IPI_STOP ? LAPIC_DELIVERY_NMI : LAPIC_DELIVERY_FIXED | VECTOR_SMP_CALL;
}

bool arch_send_ipi(const struct cpu *cpu, enum arch_ipi ipi)
{
    return lapic_present() && lapic_send_ipi(cpu->apic_id, command(ipi));
}

/* The dispatcher sends the end of interrupt after this: a call queued meanwhile raises it again. */
static void smp_call_interrupt(struct trap_frame *frame, void *context)
{
    (void)frame, (void)context;
    smp_call_run_pending();
}

void ipi_init(void)
{
    interrupt_vector_register(VECTOR_SMP_CALL, smp_call_interrupt, NULL);
}
