/*
 * Which interrupt controller delivers device interrupts: the I/O APICs (with the local APIC), or
 * the 8259 PICs when there is no usable MADT. interrupts_init (kernel/arch.h) chooses.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* From interrupt_dispatch: irq's vector arrived. Checks, handles and acknowledges it. */
void interrupt_controllers_handle_irq(unsigned irq);

/* True once interrupts_init chose the I/O APICs, false with the 8259 PICs (or before). */
bool interrupt_controllers_use_apic(void);

/* With the I/O APICs: the redirection entry a routed irq has now; false for an irq not routed. */
bool interrupt_controllers_entry(unsigned irq, uint64_t *entry);

/* On an AP: its local APIC in the boot CPU's mode, with the NMI pins the MADT gives it. */
void interrupt_controllers_init_this_cpu(void);
