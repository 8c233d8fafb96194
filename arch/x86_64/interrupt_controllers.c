/*
 * interrupts_init and the controller behind kernel/irq.c: with a MADT that lists an I/O APIC, the
 * local APIC and the I/O APICs, the 8259 PICs remapped and masked; without one, the 8259 PICs,
 * with the local APIC (if any) in virtual wire mode so its timer and IPIs still work.
 */
#include "arch/x86_64/interrupt_controllers.h"

#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/irq_routing.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pic.h"
#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/irq.h"
#include "kernel/kprintf.h"

static bool use_apic;

/* APIC mode: where each routed irq's entry is. */
static struct {
    bool routed;
    unsigned ioapic;
    uint32_t input;
} routes[IRQ_COUNT];

bool interrupt_controllers_use_apic(void)
{
    return use_apic;
}

const char *arch_irq_controller_name(void)
{
    return use_apic ? "I/O APIC" : "8259 PIC";
}

static bool input_taken(unsigned ioapic, uint32_t input)
{
    for (unsigned irq = 0; irq < IRQ_COUNT; irq++) {
        if (routes[irq].routed && routes[irq].ioapic == ioapic && routes[irq].input == input)
            return true;
    }
    return false;
}

bool arch_irq_route(unsigned irq)
{
    if (irq >= IRQ_COUNT)
        return false;
    if (!use_apic)
        return irq < PIC_IRQS && irq != PIC_CASCADE_IRQ;

    struct irq_route route;
    unsigned ioapic;
    uint32_t input;
    if (!irq_route_find(&acpi_get()->madt, irq, &route) ||
        !ioapic_find(route.gsi, &ioapic, &input) || input_taken(ioapic, input))
        return false;
    /* Physical destination: this CPU. An 8-bit id is all the entry holds without remapping. */
    uint32_t apic_id = lapic_id();
    if (apic_id > 0xff)
        return false;
    ioapic_write_entry(
        ioapic, input,
        ioapic_entry_fixed(&route, (uint8_t)(VECTOR_IRQ_BASE + irq), (uint8_t)apic_id, true));
    routes[irq].routed = true;
    routes[irq].ioapic = ioapic;
    routes[irq].input = input;
    return true;
}

void arch_irq_set_masked(unsigned irq, bool masked)
{
    if (irq >= IRQ_COUNT)
        return;
    /* The I/O APIC's index register and the PICs' mask copy are shared with handlers. */
    unsigned long flags = arch_irq_save();
    if (!use_apic)
        pic_set_masked(irq, masked);
    else if (routes[irq].routed)
        ioapic_set_masked(routes[irq].ioapic, routes[irq].input, masked);
    arch_irq_restore(flags);
}

void interrupt_controllers_handle_irq(unsigned irq)
{
    if (use_apic) {
        irq_dispatch(irq);
        lapic_eoi();
        return;
    }
    if (pic_handle_spurious(irq)) {
        irq_note_spurious(irq);
        return;
    }
    irq_dispatch(irq);
    pic_eoi(irq);
}

static bool init_ioapics(const struct acpi_madt *madt)
{
    for (size_t i = 0; i < madt->ioapic_count; i++) {
        if (!ioapic_add(&madt->ioapics[i]))
            kprintf("interrupts: the I/O APIC at 0x%x cannot be mapped; left out\n",
                    madt->ioapics[i].address);
    }
    return ioapic_count() > 0;
}

void interrupts_init(void)
{
    const struct acpi_madt *madt = &acpi_get()->madt;

    /* Wherever the firmware left them, the PICs' vectors now lie above the exceptions, masked. */
    pic_init();
    bool lapic = lapic_init();

    if (madt->present && lapic && init_ioapics(madt)) {
        use_apic = true;
        kprintf("interrupts: local APIC %u (%s), %zu I/O APIC%s with %u inputs, %zu override%s; "
                "8259 PICs masked\n",
                lapic_id(), lapic_x2apic_mode() ? "x2APIC" : "xAPIC", ioapic_count(),
                ioapic_count() == 1 ? "" : "s", ioapic_total_inputs(), madt->override_count,
                madt->override_count == 1 ? "" : "s");
        return;
    }
    /* MP spec 1.4, 3.6.2.2, virtual wire mode: the PICs' output through LINT0, NMIs on LINT1. */
    if (lapic) {
        lapic_write(LAPIC_LVT_LINT0, LAPIC_DELIVERY_EXTINT);
        lapic_write(LAPIC_LVT_LINT1, LAPIC_DELIVERY_NMI);
    }
    kprintf("interrupts: 8259 PICs (%s)\n", !madt->present ? "no MADT"
                                            : !lapic       ? "no local APIC"
                                                           : "no usable I/O APIC");
}
