/* irq numbers to I/O APIC inputs and redirection entries (irq_routing.h says the rules). */
#include "arch/x86_64/apic/irq_routing.h"

#include "arch/x86_64/apic/lapic.h"
#include "kernel/irq.h"

/* ACPI 6.5 5.2.12.5: overrides are for bus 0, ISA, and no other. */
#define OVERRIDE_BUS_ISA 0

bool irq_polarity_active_low(uint8_t acpi_polarity)
{
    return acpi_polarity == ACPI_POLARITY_LOW;
}

bool irq_trigger_level(uint8_t acpi_trigger)
{
    return acpi_trigger == ACPI_TRIGGER_LEVEL;
}

static const struct acpi_override *override_for(const struct acpi_madt *madt, unsigned irq)
{
    for (size_t i = 0; i < madt->override_count; i++) {
        const struct acpi_override *o = &madt->overrides[i];
        if (o->bus == OVERRIDE_BUS_ISA && o->source == irq)
            return o;
    }
    return NULL;
}

/* Some other ISA IRQ's override sends it to gsi. */
static bool gsi_taken_by_override(const struct acpi_madt *madt, uint32_t gsi, unsigned irq)
{
    for (size_t i = 0; i < madt->override_count; i++) {
        const struct acpi_override *o = &madt->overrides[i];
        if (o->bus == OVERRIDE_BUS_ISA && o->gsi == gsi && o->source != irq)
            return true;
    }
    return false;
}

bool irq_route_find(const struct acpi_madt *madt, unsigned irq, struct irq_route *route)
{
    if (irq >= IRQ_COUNT)
        return false;
    if (irq >= IRQ_ISA_COUNT) {
        if (gsi_taken_by_override(madt, irq, IRQ_COUNT))
            return false;
        *route = (struct irq_route){.gsi = irq, .active_low = true, .level = true};
        return true;
    }
    const struct acpi_override *o = override_for(madt, irq);
    if (o) {
        *route = (struct irq_route){.gsi = o->gsi,
                                    .active_low = irq_polarity_active_low(o->polarity),
                                    .level = irq_trigger_level(o->trigger)};
        return true;
    }
    if (gsi_taken_by_override(madt, irq, irq))
        return false;
    *route = (struct irq_route){.gsi = irq, .active_low = false, .level = false};
    return true;
}

int ioapic_span_find(const struct ioapic_span *spans, size_t count, uint32_t gsi, uint32_t *input)
{
    for (size_t i = 0; i < count; i++) {
        /* gsi - base, not gsi < base + inputs: that sum can wrap. */
        if (gsi >= spans[i].gsi_base && gsi - spans[i].gsi_base < spans[i].inputs) {
            *input = gsi - spans[i].gsi_base;
            return (int)i;
        }
    }
    return -1;
}

uint64_t ioapic_entry_fixed(const struct irq_route *route, uint8_t vector, uint8_t apic_id,
                            bool masked)
{
    uint64_t entry = IOAPIC_DELIVERY_FIXED | vector | (uint64_t)apic_id << IOAPIC_DESTINATION_SHIFT;

    if (route->active_low)
        entry |= IOAPIC_ACTIVE_LOW;
    if (route->level)
        entry |= IOAPIC_LEVEL;
    if (masked)
        entry |= IOAPIC_MASKED;
    return entry;
}

uint64_t ioapic_entry_nmi(bool active_low, uint8_t apic_id)
{
    /* The vector field is ignored for an NMI; 0 keeps the entry plain. */
    uint64_t entry = IOAPIC_DELIVERY_NMI | (uint64_t)apic_id << IOAPIC_DESTINATION_SHIFT;

    if (active_low)
        entry |= IOAPIC_ACTIVE_LOW;
    return entry;
}

uint32_t lapic_lint_nmi_entry(uint8_t acpi_polarity)
{
    uint32_t entry = LAPIC_DELIVERY_NMI;

    if (irq_polarity_active_low(acpi_polarity))
        entry |= LAPIC_LVT_ACTIVE_LOW;
    return entry;
}

bool lapic_nmi_applies(const struct acpi_lapic_nmi *nmi, bool uid_known, uint32_t uid)
{
    return nmi->all_cpus || (uid_known && nmi->uid == uid);
}
