/*
 * The ACPI findings in the boot facts, in 80 columns: which tables, the CPUs and interrupt
 * controllers from the MADT, the timers and the reset register. What is missing is said, so the
 * fallbacks the kernel takes later can be read off the screen.
 */
#include <stdarg.h>

#include "kernel/acpi.h"
#include "kernel/kprintf.h"

#define LINE_WIDTH 78

/* A row of items that wraps before LINE_WIDTH, continuing indented under its label. */
struct row {
    size_t column;
    bool first;
};

static void row_start(struct row *row, const char *label)
{
    row->column = kprintf("  %s:", label);
    row->first = true;
}

static void row_item(struct row *row, const char *fmt, ...) __printf_like(2, 3);
static void row_item(struct row *row, const char *fmt, ...)
{
    char item[48];
    va_list args;

    va_start(args, fmt);
    size_t length = kvsnprintf(item, sizeof(item), fmt, args);
    va_end(args);
    if (!row->first)
        row->column += kprintf(",");
    if (row->column + 1 + length > LINE_WIDTH) {
        kprintf("\n   ");
        row->column = 3;
    }
    row->column += kprintf(" %s", item);
    row->first = false;
}

static void row_end(void)
{
    kprintf("\n");
}

static const char *space_name(uint8_t space)
{
    switch (space) {
    case ACPI_SPACE_MEMORY:
        return "memory";
    case ACPI_SPACE_IO:
        return "port";
    case ACPI_SPACE_PCI_CONFIG:
        return "PCI config";
    default:
        return "space ?";
    }
}

static void print_tables(const struct acpi_info *info)
{
    struct row row;

    row_start(&row, info->uses_xsdt ? "XSDT lists" : "RSDT lists");
    for (size_t i = 0; i < info->table_count; i++) {
        const struct acpi_table_ref *t = &info->tables[i];
        if (t->signature[0] == '\0')
            row_item(&row, "(unreadable at 0x%llx)", (unsigned long long)t->address);
        else
            row_item(&row, "%s%s", t->signature, t->valid ? "" : "(bad)");
    }
    if (info->table_count == 0)
        row_item(&row, "nothing");
    if (info->tables_skipped)
        row_item(&row, "and %zu more", info->tables_skipped);
    row_end();
}

static void print_madt(const struct acpi_madt *madt)
{
    struct row row;

    if (!madt->present) {
        kprintf("  MADT: none usable, so no APIC information\n");
        return;
    }
    kprintf("  local APIC at 0x%llx%s; %s\n", (unsigned long long)madt->lapic_address,
            madt->lapic_address_overridden ? " (overridden)" : "",
            madt->pcat_compat ? "8259 PICs present too" : "no 8259 PICs");
    char label[32];
    ksnprintf(label, sizeof(label), "CPUs: %zu, APIC ids", madt->cpu_count);
    row_start(&row, label);
    for (size_t i = 0; i < madt->cpu_count; i++)
        row_item(&row, "%u%s", madt->cpus[i].apic_id, madt->cpus[i].enabled ? "" : "(off)");
    row_end();
    for (size_t i = 0; i < madt->ioapic_count; i++)
        kprintf("  I/O APIC %u at 0x%x, GSIs from %u\n", madt->ioapics[i].id,
                madt->ioapics[i].address, madt->ioapics[i].gsi_base);
    row_start(&row, "IRQ overrides");
    for (size_t i = 0; i < madt->override_count; i++) {
        const struct acpi_override *o = &madt->overrides[i];
        if (o->polarity == ACPI_POLARITY_BUS_DEFAULT && o->trigger == ACPI_TRIGGER_BUS_DEFAULT)
            row_item(&row, "%u->GSI %u", o->source, o->gsi);
        else
            row_item(&row, "%u->GSI %u (%s, %s)", o->source, o->gsi, acpi_trigger_name(o->trigger),
                     acpi_polarity_name(o->polarity));
    }
    if (madt->override_count == 0)
        row_item(&row, "none");
    row_end();
    row_start(&row, "NMIs");
    for (size_t i = 0; i < madt->nmi_source_count; i++)
        row_item(&row, "GSI %u", madt->nmi_sources[i].gsi);
    for (size_t i = 0; i < madt->lapic_nmi_count; i++) {
        const struct acpi_lapic_nmi *n = &madt->lapic_nmis[i];
        if (n->all_cpus)
            row_item(&row, "LINT%u of every CPU", n->lint);
        else
            row_item(&row, "LINT%u of CPU %u", n->lint, n->uid);
    }
    if (madt->nmi_source_count == 0 && madt->lapic_nmi_count == 0)
        row_item(&row, "none");
    row_end();
}

static void print_timers(const struct acpi_info *info)
{
    const struct acpi_hpet *hpet = &info->hpet;
    const struct acpi_fadt *fadt = &info->fadt;

    if (hpet->present)
        kprintf("  HPET at 0x%llx, %u timers, %s counter\n", (unsigned long long)hpet->base.address,
                hpet->comparators, hpet->counter_64bit ? "64-bit" : "32-bit");
    else
        kprintf("  HPET: none\n");
    if (!fadt->present)
        kprintf("  FADT: none usable, so no PM timer, reset register or boot flags\n");
    else if (fadt->has_pm_timer)
        kprintf("  PM timer: %s 0x%llx, %u bits\n", space_name(fadt->pm_timer.space),
                (unsigned long long)fadt->pm_timer.address, fadt->pm_timer_bits);
    else
        kprintf("  PM timer: none\n");
}

static void print_fadt_rest(const struct acpi_fadt *fadt)
{
    if (!fadt->present)
        return;
    if (fadt->has_reset_register)
        kprintf("  reset register: %s 0x%llx, value 0x%x\n", space_name(fadt->reset_register.space),
                (unsigned long long)fadt->reset_register.address, fadt->reset_value);
    else
        kprintf("  reset register: none\n");
    if (fadt->boot_arch_valid)
        kprintf("  IA-PC boot flags 0x%x (8042 %s), SCI on IRQ %u\n", fadt->boot_arch,
                fadt->boot_arch & ACPI_BOOT_ARCH_8042 ? "present" : "not claimed",
                fadt->sci_interrupt);
    else
        kprintf("  IA-PC boot flags: none in a revision %u FADT, SCI on IRQ %u\n", fadt->revision,
                fadt->sci_interrupt);
}

void acpi_print_facts(const struct acpi_info *info)
{
    if (!info->present)
        return;
    if (info->root_address == 0) {
        kprintf("  no usable RSDT or XSDT, so no ACPI tables\n");
        return;
    }
    kprintf("  OEM \"%s\", %s at 0x%llx\n", info->oem_id, info->uses_xsdt ? "XSDT" : "RSDT",
            (unsigned long long)info->root_address);
    print_tables(info);
    print_madt(&info->madt);
    print_timers(info);
    print_fadt_rest(&info->fadt);
    for (size_t i = 0; i < info->mcfg.range_count; i++)
        kprintf("  PCI config space (MCFG): 0x%llx, segment %u, buses %u-%u\n",
                (unsigned long long)info->mcfg.ranges[i].base, info->mcfg.ranges[i].segment,
                info->mcfg.ranges[i].bus_start, info->mcfg.ranges[i].bus_end);
}
