/*
 * interrupts_init and the controller behind kernel/irq.c: with a MADT that lists an I/O APIC, the
 * local APIC and the I/O APICs, the 8259 PICs remapped and masked; without one, the 8259 PICs,
 * with the local APIC (if any) in virtual wire mode so its timer and IPIs still work.
 */
#include "arch/x86_64/apic/interrupt_controllers.h"

#include "arch/x86_64/apic/ioapic.h"
#include "arch/x86_64/apic/ipi.h"
#include "arch/x86_64/apic/irq_routing.h"
#include "arch/x86_64/apic/lapic.h"
#include "arch/x86_64/apic/lapic_error.h"
#include "arch/x86_64/pc/pic.h"
#include "arch/x86_64/traps/interrupts.h"
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

/* I/O APIC inputs the MADT gave to NMIs: never routed to an irq. */
static struct {
    unsigned ioapic;
    uint32_t input;
} nmi_inputs[ACPI_MAX_NMI_SOURCES];
static size_t nmi_input_count;

/* Which LINT pins carry NMIs: for the boot line. */
static unsigned nmi_lints;

static bool input_taken(unsigned ioapic, uint32_t input)
{
    for (size_t i = 0; i < nmi_input_count; i++) {
        if (nmi_inputs[i].ioapic == ioapic && nmi_inputs[i].input == input)
            return true;
    }
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

bool interrupt_controllers_entry(unsigned irq, uint64_t *entry)
{
    if (!use_apic || irq >= IRQ_COUNT || !routes[irq].routed)
        return false;
    unsigned long flags = arch_irq_save();
    *entry = ioapic_read_entry(routes[irq].ioapic, routes[irq].input);
    arch_irq_restore(flags);
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
            kprintf("interrupts: the I/O APIC at 0x%x cannot be mapped or does not answer; "
                    "left out\n",
                    madt->ioapics[i].address);
    }
    return ioapic_count() > 0;
}

/* The ACPI processor UID of this CPU, which the MADT's Local APIC NMI entries name. */
static bool this_cpu_uid(const struct acpi_madt *madt, uint32_t *uid)
{
    uint32_t id = lapic_id();

    for (size_t i = 0; i < madt->cpu_count; i++) {
        if (madt->cpus[i].apic_id == id) {
            *uid = madt->cpus[i].uid;
            return true;
        }
    }
    return false;
}

/* ACPI 6.5 5.2.12.7: the LINT pins wired to NMIs; the other LINT stays masked. */
static void init_lint_nmis(const struct acpi_madt *madt)
{
    uint32_t uid = 0;
    bool known = this_cpu_uid(madt, &uid);

    for (size_t i = 0; i < madt->lapic_nmi_count; i++) {
        const struct acpi_lapic_nmi *nmi = &madt->lapic_nmis[i];
        if (nmi->lint > 1 || !lapic_nmi_applies(nmi, known, uid))
            continue;
        lapic_write(nmi->lint ? LAPIC_LVT_LINT1 : LAPIC_LVT_LINT0,
                    lapic_lint_nmi_entry(nmi->polarity));
        nmi_lints |= 1u << nmi->lint;
    }
}

/* ACPI 6.5 5.2.12.6: I/O APIC inputs that carry NMIs, to this CPU. */
static void init_nmi_sources(const struct acpi_madt *madt)
{
    uint32_t apic_id = lapic_id();

    for (size_t i = 0; i < madt->nmi_source_count; i++) {
        const struct acpi_nmi_source *source = &madt->nmi_sources[i];
        unsigned ioapic;
        uint32_t input;
        if (!ioapic_find(source->gsi, &ioapic, &input) || apic_id > 0xff) {
            kprintf("interrupts: the NMI source at GSI %u: %s; left out\n", source->gsi,
                    apic_id > 0xff ? "this CPU's APIC id does not fit the entry"
                                   : "no I/O APIC has that input");
            continue;
        }
        ioapic_write_entry(
            ioapic, input,
            ioapic_entry_nmi(irq_polarity_active_low(source->polarity), (uint8_t)apic_id));
        nmi_inputs[nmi_input_count].ioapic = ioapic;
        nmi_inputs[nmi_input_count].input = input;
        nmi_input_count++;
    }
}

static const char *lint_nmi_text(void)
{
    switch (nmi_lints) {
    case 0:
        return "no NMI pin";
    case 1:
        return "NMI on LINT0";
    case 2:
        return "NMI on LINT1";
    default:
        return "NMI on LINT0+1";
    }
}

/* Why the PICs deliver, or NULL while the APICs do: for the boot facts. */
static const char *pic_reason;

void interrupts_init(void)
{
    const struct acpi_madt *madt = &acpi_get()->madt;

    /*
     * Wherever the firmware left them, the PICs' vectors now lie above the exceptions, masked.
     * (A MADT without PCAT_COMPAT says there are none: the writes then reach nothing.)
     */
    pic_init();
    lapic_error_init();
    ipi_init();
    bool lapic = lapic_init();

    if (madt->present && lapic && init_ioapics(madt)) {
        use_apic = true;
        init_lint_nmis(madt);
        init_nmi_sources(madt);
        return;
    }
    pic_reason = !madt->present ? "no MADT" : !lapic ? "no local APIC" : "no usable I/O APIC";
    /* MP spec 1.4, 3.6.2.2, virtual wire mode: the PICs' output through LINT0, NMIs on LINT1. */
    if (lapic) {
        lapic_write(LAPIC_LVT_LINT0, LAPIC_DELIVERY_EXTINT);
        lapic_write(LAPIC_LVT_LINT1, LAPIC_DELIVERY_NMI);
    }
}

void interrupt_controllers_init_this_cpu(void)
{
    lapic_init_this_cpu();
    if (use_apic)
        init_lint_nmis(&acpi_get()->madt);
}

void arch_interrupts_print_facts(void)
{
    if (use_apic) {
        /* "interrupts: I/O APIC (24 inputs, 5 overrides), xAPIC 0, NMI on LINT1; PICs off" */
        size_t overrides = acpi_get()->madt.override_count;
        kprintf("interrupts: %s (%u inputs, %zu override%s), %s %u, %s; PICs off\n",
                ioapic_count() == 1 ? "I/O APIC" : "I/O APICs", ioapic_total_inputs(), overrides,
                overrides == 1 ? "" : "s", lapic_x2apic_mode() ? "x2APIC" : "xAPIC", lapic_id(),
                lint_nmi_text());
    } else {
        kprintf("interrupts: 8259 PICs (%s)%s\n", pic_reason,
                lapic_present() ? ", local APIC in virtual wire mode" : "");
    }
}
