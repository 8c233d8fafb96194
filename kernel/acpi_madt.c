/*
 * ACPI 6.5 5.2.12, the MADT: the local APIC address, whether 8259s are present, then one entry per
 * interrupt controller or wiring fact. Every entry is checked to lie inside the table and to be
 * long enough for its type before any field of it is read.
 */
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/string.h"

/* 5.2.12: two fields after the header, then the entries. */
#define MADT_LAPIC_ADDRESS    36
#define MADT_FLAGS            40
#define MADT_ENTRIES          44
#define MADT_FLAG_PCAT_COMPAT 0x1

/* 5.2.12: the interrupt controller structures keel reads, and the shortest length of each. */
enum madt_type {
    MADT_LOCAL_APIC = 0,          /* 5.2.12.2 */
    MADT_IO_APIC = 1,             /* 5.2.12.3 */
    MADT_SOURCE_OVERRIDE = 2,     /* 5.2.12.5 */
    MADT_NMI_SOURCE = 3,          /* 5.2.12.6 */
    MADT_LOCAL_APIC_NMI = 4,      /* 5.2.12.7 */
    MADT_LAPIC_OVERRIDE = 5,      /* 5.2.12.8 */
    MADT_LOCAL_X2APIC = 9,        /* 5.2.12.12 */
    MADT_LOCAL_X2APIC_NMI = 0x0a, /* 5.2.12.13 */
};
#define MADT_ENTRY_HEADER 2 /* type, length */

static const uint8_t entry_min_length[] = {
    [MADT_LOCAL_APIC] = 8,    [MADT_IO_APIC] = 12,          [MADT_SOURCE_OVERRIDE] = 10,
    [MADT_NMI_SOURCE] = 8,    [MADT_LOCAL_APIC_NMI] = 6,    [MADT_LAPIC_OVERRIDE] = 12,
    [MADT_LOCAL_X2APIC] = 16, [MADT_LOCAL_X2APIC_NMI] = 12,
};

/* 5.2.12.2: Local APIC flags (the x2APIC entry's are the same). */
#define CPU_ENABLED        0x1
#define CPU_ONLINE_CAPABLE 0x2 /* ACPI 6.3+: may be enabled later */

/* 5.2.12.7, 5.2.12.13: this UID means "every processor". */
#define LAPIC_NMI_ALL_CPUS  0xff
#define X2APIC_NMI_ALL_CPUS 0xffffffffu

static uint8_t polarity_of(uint16_t inti_flags)
{
    return inti_flags & 3;
}

static uint8_t trigger_of(uint16_t inti_flags)
{
    return (inti_flags >> 2) & 3;
}

static void add_cpu(struct acpi_madt *madt, uint32_t apic_id, uint32_t uid, uint32_t flags,
                    bool x2apic)
{
    if (!(flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE))) {
        madt->cpus_disabled++;
        return;
    }
    for (size_t i = 0; i < madt->cpu_count; i++) {
        if (madt->cpus[i].apic_id == apic_id) {
            madt->cpu_duplicates++;
            return;
        }
    }
    if (madt->cpu_count == ACPI_MAX_CPUS) {
        madt->cpus_skipped++;
        return;
    }
    madt->cpus[madt->cpu_count++] = (struct acpi_cpu){
        .apic_id = apic_id, .uid = uid, .enabled = flags & CPU_ENABLED, .x2apic = x2apic};
}

static void add_lapic_nmi(struct acpi_madt *madt, bool all_cpus, uint32_t uid, uint16_t flags,
                          uint8_t lint)
{
    if (madt->lapic_nmi_count == ACPI_MAX_LAPIC_NMIS) {
        madt->lapic_nmis_skipped++;
        return;
    }
    madt->lapic_nmis[madt->lapic_nmi_count++] = (struct acpi_lapic_nmi){
        .all_cpus = all_cpus,
        .uid = uid,
        .lint = lint,
        .polarity = polarity_of(flags),
        .trigger = trigger_of(flags),
    };
}

/* One entry, already known to be long enough for its type. */
static void read_entry(struct acpi_madt *madt, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LOCAL_APIC:
        add_cpu(madt, e[3], e[2], acpi_u32(e + 4), false);
        break;
    case MADT_LOCAL_X2APIC:
        add_cpu(madt, acpi_u32(e + 4), acpi_u32(e + 12), acpi_u32(e + 8), true);
        break;
    case MADT_IO_APIC:
        if (madt->ioapic_count == ACPI_MAX_IOAPICS) {
            madt->ioapics_skipped++;
            break;
        }
        madt->ioapics[madt->ioapic_count++] = (struct acpi_ioapic){
            .id = e[2], .address = acpi_u32(e + 4), .gsi_base = acpi_u32(e + 8)};
        break;
    case MADT_SOURCE_OVERRIDE:
        if (madt->override_count == ACPI_MAX_OVERRIDES) {
            madt->overrides_skipped++;
            break;
        }
        madt->overrides[madt->override_count++] = (struct acpi_override){
            .bus = e[2],
            .source = e[3],
            .gsi = acpi_u32(e + 4),
            .polarity = polarity_of(acpi_u16(e + 8)),
            .trigger = trigger_of(acpi_u16(e + 8)),
        };
        break;
    case MADT_NMI_SOURCE:
        if (madt->nmi_source_count == ACPI_MAX_NMI_SOURCES) {
            madt->nmi_sources_skipped++;
            break;
        }
        madt->nmi_sources[madt->nmi_source_count++] = (struct acpi_nmi_source){
            .gsi = acpi_u32(e + 4),
            .polarity = polarity_of(acpi_u16(e + 2)),
            .trigger = trigger_of(acpi_u16(e + 2)),
        };
        break;
    case MADT_LOCAL_APIC_NMI:
        add_lapic_nmi(madt, e[2] == LAPIC_NMI_ALL_CPUS, e[2], acpi_u16(e + 3), e[5]);
        break;
    case MADT_LOCAL_X2APIC_NMI:
        add_lapic_nmi(madt, acpi_u32(e + 4) == X2APIC_NMI_ALL_CPUS, acpi_u32(e + 4),
                      acpi_u16(e + 2), e[8]);
        break;
    case MADT_LAPIC_OVERRIDE:
        /* 5.2.12.8: the 64-bit address replaces the header's 32-bit one. */
        madt->lapic_address = acpi_u64(e + 4);
        madt->lapic_address_overridden = true;
        break;
    default:
        madt->other_entries++;
        break;
    }
}

void acpi_parse_madt(const uint8_t *table, uint32_t length, struct acpi_madt *out,
                     struct acpi_info *info)
{
    memset(out, 0, sizeof(*out));
    if (length < MADT_ENTRIES) {
        acpi_problem(info, "MADT", "length %u is shorter than the %u before its entries", length,
                     MADT_ENTRIES);
        return;
    }
    out->lapic_address = acpi_u32(table + MADT_LAPIC_ADDRESS);
    out->pcat_compat = acpi_u32(table + MADT_FLAGS) & MADT_FLAG_PCAT_COMPAT;

    /* An entry's length counts its own two header bytes; it must fit in what is left. */
    for (uint32_t at = MADT_ENTRIES; at < length;) {
        uint32_t left = length - at;
        const uint8_t *e = table + at;
        if (left < MADT_ENTRY_HEADER || e[1] < MADT_ENTRY_HEADER || e[1] > left) {
            if (left < MADT_ENTRY_HEADER)
                acpi_problem(info, "MADT", "%u stray bytes at offset %u, after the last entry",
                             left, at);
            else
                acpi_problem(info, "MADT", "entry at offset %u has length %u, %u bytes are left",
                             at, e[1], left);
            goto malformed;
        }
        if (e[0] < ARRAY_SIZE(entry_min_length) && e[1] < entry_min_length[e[0]]) {
            acpi_problem(info, "MADT", "type %u entry at offset %u has length %u, below %u", e[0],
                         at, e[1], entry_min_length[e[0]]);
            goto malformed;
        }
        read_entry(out, e);
        at += e[1];
    }
    out->present = true;
    return;
malformed:
    memset(out, 0, sizeof(*out));
}
