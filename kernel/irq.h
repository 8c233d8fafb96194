/*
 * Device interrupts, portably: a handler per irq number, counts of what arrived, and masking. The
 * controllers behind it (the I/O APIC and local APIC, or the legacy 8259 PICs) are the
 * architecture's, reached through kernel/arch.h.
 *
 *     static void keyboard_interrupt(void *context) { ... read the device ... }
 *     if (!irq_register(1, keyboard_interrupt, NULL))
 *         kprintf("keyboard: IRQ 1 is taken or cannot be routed\n");
 *
 * irq numbers are ISA IRQs 0-15 (translated through the MADT's overrides) or, above 15, global
 * system interrupts. A handler runs with interrupts off and the controller is told the interrupt
 * is done after it returns: it only has to quiet its device.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* irq numbers are below this: the 16 ISA IRQs and the GSIs up to here. */
#define IRQ_COUNT     192
#define IRQ_ISA_COUNT 16

typedef void (*irq_handler_fn)(void *context);

/*
 * Routes irq to handler(context) and unmasks it. False if irq is out of range, already has a
 * handler, or the controller cannot route it (an ISA IRQ whose pin an override gave to another,
 * a GSI no I/O APIC has).
 */
bool irq_register(unsigned irq, irq_handler_fn handler, void *context);

/* Stops irq from arriving, or lets it arrive again. Nests not: the last call wins. */
void irq_mask(unsigned irq);
void irq_unmask(unsigned irq);

/* For the monitor's `irq`: per-IRQ counts, spurious ones too. */
void irq_print_counts(void);

/* How often irq has been handled since boot (0 for an irq out of range). */
uint64_t irq_count(unsigned irq);

/* How many spurious interrupts have been counted: for irq (the PIC's 7 and 15), or in all. */
uint64_t irq_spurious_count(unsigned irq);
uint64_t irq_spurious_total(void);

/* ---- For the architecture's interrupt code ---- */

/* irq arrived: counts it and calls its handler. Interrupts are off; the caller sends the EOI. */
void irq_dispatch(unsigned irq);

/* A spurious interrupt: counted, not handled, not acknowledged as a real one. */
void irq_note_spurious(unsigned irq); /* the legacy PIC's IRQ 7 or 15 */
void irq_note_spurious_local(void);   /* the CPU's own controller (the local APIC's vector) */
