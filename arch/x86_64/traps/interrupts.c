/*
 * interrupt_dispatch(): every vector from 32 up ends here. Device interrupts go to their
 * controller's code (interrupt_controllers.c), the local APIC's spurious vector is counted and
 * left alone, and the other vectors go to the handler arch code registered for them.
 */
#include "arch/x86_64/traps/interrupts.h"

#include "arch/x86_64/apic/interrupt_controllers.h"
#include "arch/x86_64/apic/lapic.h"
#include "kernel/arch.h"
#include "kernel/irq.h"
#include "kernel/kprintf.h"

static struct {
    void (*handler)(struct trap_frame *, void *);
    void *context;
} vectors[VECTORS];

void interrupt_vector_register(uint8_t vector, void (*handler)(struct trap_frame *, void *),
                               void *context)
{
    unsigned long flags = arch_irq_save();

    vectors[vector].handler = handler;
    vectors[vector].context = context;
    arch_irq_restore(flags);
}

/* Said once: a vector nobody registered is a bug or a misprogrammed device, not a flood to log. */
static void report_unexpected(unsigned vector)
{
    static bool reported;

    if (!reported)
        kprintf("keel: interrupt on vector 0x%02x, which has no handler (further ones not shown)\n",
                vector);
    reported = true;
}

void interrupt_dispatch(struct trap_frame *frame)
{
    unsigned vector = (unsigned)frame->vector;

    /*
     * SDM vol. 3A, 10.9: the local APIC sends its spurious vector when an interrupt it was about
     * to deliver went away. Nothing is in service, so there is nothing to end: no EOI.
     */
    if (vector == VECTOR_SPURIOUS) {
        irq_note_spurious_local();
        return;
    }
    if (vector >= VECTOR_IRQ_BASE && vector < VECTOR_IRQ_BASE + IRQ_COUNT) {
        interrupt_controllers_handle_irq(vector - VECTOR_IRQ_BASE);
        return;
    }
    if (vectors[vector].handler)
        vectors[vector].handler(frame, vectors[vector].context);
    else
        report_unexpected(vector);
    lapic_eoi();
}
