/*
 * The two 8259A PICs of the PC (master at 0x20, slave at 0xA0 on the master's IRQ 2): remapped to
 * VECTOR_IRQ_BASE.. so that their interrupts never look like CPU exceptions, and masked. With the
 * I/O APIC they stay masked; without a MADT they are the interrupt controller.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_COMMAND 0x20
#define PIC_MASTER_DATA    0x21
#define PIC_SLAVE_COMMAND  0xa0
#define PIC_SLAVE_DATA     0xa1
#define PIC_CASCADE_IRQ    2 /* the master's input the slave is wired to */
#define PIC_IRQS           16

/* Remaps both PICs to VECTOR_IRQ_BASE (IRQ n at vector VECTOR_IRQ_BASE + n) and masks every IRQ. */
void pic_init(void);

/* Masks or unmasks IRQ 0-15; unmasking one of the slave's unmasks the cascade too. */
void pic_set_masked(unsigned irq, bool masked);

/* Ends IRQ 0-15 (for the slave's: both PICs). */
void pic_eoi(unsigned irq);

/*
 * For IRQ 7 and 15, which the 8259 raises when a request went away before the CPU took it: reads
 * the in-service register and, when the IRQ is not in service, sends what the datasheet wants
 * (nothing, or the master's EOI for the cascade) and returns true. Always false for other IRQs.
 */
bool pic_handle_spurious(unsigned irq);
