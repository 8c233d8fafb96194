/*
 * The MCFG (PCI Firmware Specification 3.0, 4.1.2): where each PCI segment's memory-mapped
 * configuration space lies, for the PCI code to come.
 */
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/string.h"

/* PCI Firmware spec 4.1.2 tables 4-2 and 4-3: 8 reserved bytes, then 16-byte allocations. */
#define MCFG_ENTRIES    44
#define MCFG_ENTRY_SIZE 16

void acpi_parse_mcfg(const uint8_t *table, uint32_t length, struct acpi_mcfg *out,
                     struct acpi_info *info)
{
    memset(out, 0, sizeof(*out));
    if (length < MCFG_ENTRIES || (length - MCFG_ENTRIES) % MCFG_ENTRY_SIZE != 0) {
        acpi_problem(info, "MCFG", "length %u is not %u plus whole %u-byte entries", length,
                     MCFG_ENTRIES, MCFG_ENTRY_SIZE);
        return;
    }
    for (uint32_t at = MCFG_ENTRIES; at < length; at += MCFG_ENTRY_SIZE) {
        const uint8_t *e = table + at;
        struct acpi_mcfg_range range = {
            .base = acpi_u64(e), .segment = acpi_u16(e + 8), .bus_start = e[10], .bus_end = e[11]};
        if (range.bus_end < range.bus_start) {
            acpi_problem(info, "MCFG", "entry at offset %u has buses %u to %u", at, range.bus_start,
                         range.bus_end);
            memset(out, 0, sizeof(*out));
            return;
        }
        if (out->range_count < ACPI_MAX_MCFG_RANGES)
            out->ranges[out->range_count++] = range;
        else
            out->ranges_skipped++;
    }
    out->present = true;
}
