/*
 * Interrupt vectors 32-255: which vector is what, and the dispatcher that every interrupt stub in
 * exception_entry.asm calls. Vectors 0-31 are the CPU's exceptions (exceptions.h).
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/traps/trap_frame.h"
#include "kernel/irq.h"

#define VECTORS 256 /* exception_entry.asm has a stub for each */

/*
 * The vectors, one definition each. A vector's upper four bits are its priority class (Intel SDM
 * vol. 3A, 10.8.3.1): the local APIC's own interrupts sit above every device's.
 */
#define VECTOR_IRQ_BASE    0x20 /* ISA/GSI interrupts from 0x20 up: irq n at 0x20 + n */
#define VECTOR_SELFTEST    0xE0 /* the self-tests' inter-processor interrupt to this CPU */
#define VECTOR_LAPIC_TIMER 0xEC
#define VECTOR_SMP_CALL    0xF0 /* ARCH_IPI_SMP_CALL: run the calls other CPUs queued */
#define VECTOR_LAPIC_ERROR 0xFE
#define VECTOR_SPURIOUS    0xFF /* the local APIC's; its low four bits must be 1 on a P6 */

_Static_assert(VECTOR_IRQ_BASE + IRQ_COUNT <= VECTOR_SELFTEST,
               "every irq number has a vector below the local APIC's own");

/*
 * For arch code with its own vectors (the local APIC timer, its error interrupt, the self-test
 * IPI): handler(frame, context) runs with interrupts off each time vector arrives, and the
 * dispatcher sends the local APIC its end of interrupt after the handler returns. One handler per
 * vector; registering again replaces it.
 */
void interrupt_vector_register(uint8_t vector, void (*handler)(struct trap_frame *, void *),
                               void *context);

/* Called by exception_entry.asm for every vector from 32 up, with interrupts off. */
void interrupt_dispatch(struct trap_frame *frame);
