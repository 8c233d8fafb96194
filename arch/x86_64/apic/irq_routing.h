/*
 * From an irq number (kernel/irq.h) to an I/O APIC input and its redirection entry, using the
 * MADT's interrupt source overrides: pure logic, host-tested (tests/host/test_irq_routing.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi.h"

/* Where an irq arrives and how its line signals. */
struct irq_route {
    uint32_t gsi;
    bool active_low;
    bool level;
};

/*
 * ACPI 6.5 5.2.12.5: an ISA IRQ (0-15) arrives at the GSI its override names, with the override's
 * polarity and trigger, else at the GSI of its own number, active high and edge triggered (the ISA
 * bus). An ISA IRQ without an override whose GSI another IRQ's override took (IRQ 2 on QEMU, whose
 * GSI 2 is the PIT's) has no input: false. irq 16 and above is that GSI, active low and level
 * triggered as PCI interrupts are, unless an override sends an ISA IRQ there: false, that GSI is
 * reached through the ISA IRQ's number.
 */
bool irq_route_find(const struct acpi_madt *madt, unsigned irq, struct irq_route *route);

/* Polarity and trigger from MPS INTI flags; the bus default (and the reserved value) is the ISA
 * one. */
bool irq_polarity_active_low(uint8_t acpi_polarity);
bool irq_trigger_level(uint8_t acpi_trigger);

/* An I/O APIC's span of GSIs: inputs [gsi_base, gsi_base + inputs). */
struct ioapic_span {
    uint32_t gsi_base;
    uint32_t inputs;
};

/* The span among spans[0..count) that holds gsi, with *input its input there; -1 if none does. */
int ioapic_span_find(const struct ioapic_span *spans, size_t count, uint32_t gsi, uint32_t *input);

/* I/O APIC redirection entry (82093AA datasheet, 3.2.4): the 64 bits, both halves. */
#define IOAPIC_DELIVERY_FIXED    (0ull << 8)
#define IOAPIC_DELIVERY_NMI      (4ull << 8)
#define IOAPIC_DELIVERY_MASK     (7ull << 8)
#define IOAPIC_ACTIVE_LOW        (1ull << 13)
#define IOAPIC_LEVEL             (1ull << 15)
#define IOAPIC_MASKED            (1ull << 16)
#define IOAPIC_DESTINATION_SHIFT 56 /* physical destination mode: the APIC id */

/* A fixed interrupt to vector at the local APIC apic_id (physical destination), masked or not. */
uint64_t ioapic_entry_fixed(const struct irq_route *route, uint8_t vector, uint8_t apic_id,
                            bool masked);

/* An NMI (a MADT NMI source): SDM vol. 3A 10.5.1, an NMI is always edge triggered. */
uint64_t ioapic_entry_nmi(bool active_low, uint8_t apic_id);

/*
 * The LVT entry for a LINT pin the MADT says carries NMIs (a Local APIC NMI entry's flags): NMI
 * delivery, the polarity given (bus default: active high), edge triggered (SDM vol. 3A 10.5.1:
 * the level bit is for fixed delivery only).
 */
uint32_t lapic_lint_nmi_entry(uint8_t acpi_polarity);

/*
 * Whether a MADT Local APIC NMI entry applies to this CPU: when it is for all processors, or
 * for this CPU's ACPI processor UID (uid, when uid_known: the MADT listed this CPU).
 */
bool lapic_nmi_applies(const struct acpi_lapic_nmi *nmi, bool uid_known, uint32_t uid);
