/*
 * The ACPI findings in the boot facts, in three lines of 80 columns on a QEMU machine (the boot
 * facts must leave the banner on a 25-line screen): which tables, the CPUs and interrupt
 * controllers from the MADT, the timers and the reset register. What is missing is said, so the
 * fallbacks the kernel takes later can be read off the screen. A longer list wraps.
 */
#include <stdarg.h>

#include "kernel/acpi.h"
#include "kernel/kprintf.h"
#include "kernel/string.h"

#define LINE_WIDTH 80
#define INDENT     "  "

/* A line of items that wraps, indented, before an item would pass LINE_WIDTH. */
struct row {
    size_t column;
    size_t start; /* the column of the first item: no separator goes before it */
};

/* A row after text already on this line (its width is what kprintf returned). */
static struct row row_after(size_t printed)
{
    return (struct row){.column = printed, .start = printed};
}

/*
 * Puts one item after separator sep (", ", "; " or " "), left out before a row's first item.
 * At a wrap the separator's punctuation ends the line and the item starts the next one.
 */
static void row_put(struct row *row, const char *sep, const char *fmt, ...) __printf_like(3, 4);
static void row_put(struct row *row, const char *sep, const char *fmt, ...)
{
    char item[64];
    va_list args;

    va_start(args, fmt);
    size_t length = kvsnprintf(item, sizeof(item), fmt, args);
    va_end(args);
    if (row->column == row->start)
        sep = "";
    if (row->column + strlen(sep) + length >= LINE_WIDTH) {
        kprintf("%s\n" INDENT, sep[0] == ' ' ? "" : (char[]){sep[0], '\0'});
        row->column = sizeof(INDENT) - 1;
    } else {
        row->column += kprintf("%s", sep);
    }
    row->column += kprintf("%s", item);
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

/* "ACPI 1.0 (RSDP rev 0 at 0x...), RSDT 0x...: FACP APIC ..." */
static void print_tables(const struct acpi_info *info, uint64_t rsdp_phys)
{
    size_t printed =
        kprintf("ACPI %s (RSDP rev %u at 0x%llx)", info->revision >= 2 ? "2.0+" : "1.0",
                info->revision, (unsigned long long)rsdp_phys);
    if (info->root_address == 0) {
        kprintf(": no usable RSDT or XSDT\n");
        return;
    }
    printed += kprintf(", %s 0x%llx:", info->uses_xsdt ? "XSDT" : "RSDT",
                       (unsigned long long)info->root_address);
    struct row row = {.column = printed}; /* .start 0: a space before the first table too */

    for (size_t i = 0; i < info->table_count; i++) {
        const struct acpi_table_ref *t = &info->tables[i];
        if (t->signature[0] == '\0')
            row_put(&row, " ", "(none at 0x%llx)", (unsigned long long)t->address);
        else
            row_put(&row, " ", "%s%s", t->signature, t->valid ? "" : "(bad)");
    }
    if (info->table_count == 0)
        row_put(&row, " ", "no tables");
    if (info->tables_skipped)
        row_put(&row, " ", "and %zu more", info->tables_skipped);
    row_end();
}

/* "2 CPUs (APIC ids 0 1), I/O APIC 0xfec00000, HPET 0xfed00000" */
static void print_controllers(const struct acpi_info *info)
{
    const struct acpi_madt *madt = &info->madt;
    struct row row = row_after(kprintf(INDENT));

    if (!madt->present) {
        row_put(&row, "", "no MADT: no APICs known");
    } else {
        row_put(&row, "", "%zu CPU%s (APIC ids", madt->cpu_count, madt->cpu_count == 1 ? "" : "s");
        for (size_t i = 0; i < madt->cpu_count; i++)
            row_put(&row, " ", "%u%s", madt->cpus[i].apic_id, madt->cpus[i].enabled ? "" : "?");
        row.column += kprintf(")");
        for (size_t i = 0; i < madt->ioapic_count; i++) {
            if (madt->ioapics[i].gsi_base == 0)
                row_put(&row, ", ", "I/O APIC 0x%x", madt->ioapics[i].address);
            else
                row_put(&row, ", ", "I/O APIC 0x%x (GSI %u)", madt->ioapics[i].address,
                        madt->ioapics[i].gsi_base);
        }
        if (madt->ioapic_count == 0)
            row_put(&row, ", ", "no I/O APIC");
    }
    if (info->hpet.present)
        row_put(&row, ", ", "HPET 0x%llx", (unsigned long long)info->hpet.base.address);
    else
        row_put(&row, ", ", "no HPET");
    row_end();
}

/* "level/low": an override's trigger mode and polarity, or NULL for the bus defaults. */
static const char *override_kind(const struct acpi_override *o, char *buf, size_t size)
{
    if (o->trigger == ACPI_TRIGGER_BUS_DEFAULT && o->polarity == ACPI_POLARITY_BUS_DEFAULT)
        return NULL;
    ksnprintf(buf, size, "%s/%s", acpi_trigger_name(o->trigger), acpi_polarity_name(o->polarity));
    return buf;
}

/* "IRQ 0->GSI 2, level/high 5 9 10 11; PM timer port 0x608; reset port 0xcf9=0xf" */
static void print_wiring_and_timers(const struct acpi_info *info)
{
    const struct acpi_madt *madt = &info->madt;
    const struct acpi_fadt *fadt = &info->fadt;
    struct row row = row_after(kprintf(INDENT));
    char kind[32], last_kind[32] = "";

    /* The IRQs that move, then those not edge-triggered and active high, grouped by kind. */
    for (size_t i = 0; i < madt->override_count; i++)
        if (madt->overrides[i].source != madt->overrides[i].gsi)
            row_put(&row, ", ", "IRQ %u->GSI %u", madt->overrides[i].source,
                    madt->overrides[i].gsi);
    for (size_t i = 0; i < madt->override_count; i++) {
        const char *k = override_kind(&madt->overrides[i], kind, sizeof(kind));
        if (k == NULL)
            continue;
        if (strcmp(k, last_kind) != 0) {
            row_put(&row, ", ", "%s", k);
            memcpy(last_kind, kind, sizeof(kind));
        }
        row_put(&row, " ", "%u", madt->overrides[i].source);
    }
    if (madt->present && madt->override_count == 0)
        row_put(&row, "", "no IRQ overrides");
    if (!fadt->present) {
        row_put(&row, "; ", "no FADT: no PM timer, no reset register");
        row_end();
        return;
    }
    if (fadt->has_pm_timer)
        row_put(&row, "; ", "PM timer %s 0x%llx%s", space_name(fadt->pm_timer.space),
                (unsigned long long)fadt->pm_timer.address,
                fadt->pm_timer_bits == 32 ? " (32-bit)" : "");
    else
        row_put(&row, "; ", "no PM timer");
    if (fadt->has_reset_register)
        row_put(&row, "; ", "reset %s 0x%llx=0x%x", space_name(fadt->reset_register.space),
                (unsigned long long)fadt->reset_register.address, fadt->reset_value);
    else
        row_put(&row, "; ", "no reset register");
    row_end();
}

void acpi_print_facts(const struct acpi_info *info, uint64_t rsdp_phys)
{
    if (!info->present) {
        kprintf("ACPI: none (no usable RSDP)\n");
        return;
    }
    print_tables(info, rsdp_phys);
    if (info->root_address == 0)
        return;
    print_controllers(info);
    print_wiring_and_timers(info);
}
