/*
 * ACPI 6.5 5.2.9, the FADT: the few fixed-hardware facts keel needs (PM timer, reset register,
 * IA-PC boot architecture flags, the SCI). The table has grown with each ACPI version, so a field
 * is read only when the table's length covers it; one it does not cover is absent, not zero.
 */
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/string.h"

/* 5.2.9, the FADT format: byte offsets of the fields read here. */
#define FADT_SCI_INT        46
#define FADT_PM_TMR_BLK     76 /* I/O port of the PM timer, 0 when there is none */
#define FADT_PM_TMR_LEN     91 /* 4 when there is a PM timer */
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS          112
#define FADT_RESET_REG      116
#define FADT_RESET_VALUE    128
#define FADT_X_PM_TMR_BLK   208

/* ACPI 1.0's FADT ends before IAPC_BOOT_ARCH, which revision 2 (ACPI 1.0b/2.0) brought in. */
#define FADT_FIRST_REVISION_WITH_BOOT_ARCH 2
#define PM_TMR_LEN_BYTES                   4

/* The field of size bytes at offset lies inside the table. */
static bool covers(uint32_t length, uint32_t offset, uint32_t size)
{
    return length >= offset + size;
}

/*
 * 5.2.9: X_PM_TMR_BLK, where present and non-zero, takes precedence over PM_TMR_BLK;
 * either way the timer is a 4-byte register (PM_TMR_LEN is 4). A hardware-reduced platform has
 * none (5.2.9, HW_REDUCED_ACPI).
 */
static void find_pm_timer(const uint8_t *t, uint32_t length, struct acpi_fadt *out,
                          struct acpi_info *info)
{
    if (out->flags & ACPI_FADT_HW_REDUCED)
        return;
    if (covers(length, FADT_X_PM_TMR_BLK, GAS_SIZE)) {
        struct acpi_gas x = acpi_gas_at(t + FADT_X_PM_TMR_BLK);
        if (x.address != 0 && (x.space == ACPI_SPACE_IO || x.space == ACPI_SPACE_MEMORY)) {
            out->pm_timer = x;
            out->has_pm_timer = true;
        } else if (x.address != 0) {
            acpi_problem(info, "FADT", "X_PM_TMR_BLK in address space %u, using PM_TMR_BLK",
                         x.space);
        }
    }
    if (!out->has_pm_timer && covers(length, FADT_PM_TMR_BLK, 4)) {
        uint32_t port = acpi_u32(t + FADT_PM_TMR_BLK);
        uint8_t timer_length = covers(length, FADT_PM_TMR_LEN, 1) ? t[FADT_PM_TMR_LEN] : 0;
        if (port != 0 && timer_length == PM_TMR_LEN_BYTES) {
            out->pm_timer = (struct acpi_gas){
                .space = ACPI_SPACE_IO, .bit_width = 32, .access_size = 3, .address = port};
            out->has_pm_timer = true;
        } else if (port != 0) {
            acpi_problem(info, "FADT", "PM_TMR_LEN is %u, not %u: no PM timer", timer_length,
                         PM_TMR_LEN_BYTES);
        }
    }
    if (out->has_pm_timer)
        out->pm_timer_bits = (out->flags & ACPI_FADT_TMR_VAL_EXT) ? 32 : 24;
}

/* 5.2.9, RESET_REG: only system I/O, system memory and PCI configuration space are valid. */
static void find_reset_register(const uint8_t *t, uint32_t length, struct acpi_fadt *out,
                                struct acpi_info *info)
{
    if (!(out->flags & ACPI_FADT_RESET_REG_SUP) || !covers(length, FADT_RESET_VALUE, 1))
        return;
    struct acpi_gas reg = acpi_gas_at(t + FADT_RESET_REG);
    if (reg.address == 0 || reg.space > ACPI_SPACE_PCI_CONFIG) {
        acpi_problem(info, "FADT", "RESET_REG_SUP set, but RESET_REG is 0x%llx in space %u",
                     (unsigned long long)reg.address, reg.space);
        return;
    }
    out->reset_register = reg;
    out->reset_value = t[FADT_RESET_VALUE];
    out->has_reset_register = true;
}

void acpi_parse_fadt(const uint8_t *table, uint32_t length, struct acpi_fadt *out,
                     struct acpi_info *info)
{
    memset(out, 0, sizeof(*out));
    /* Every FADT, even ACPI 1.0's, reaches the flags; one that does not is no FADT. */
    if (!covers(length, FADT_FLAGS, 4)) {
        acpi_problem(info, "FADT", "length %u ends before the flags at offset %u", length,
                     FADT_FLAGS);
        return;
    }
    out->revision = table[SDT_REVISION];
    out->flags = acpi_u32(table + FADT_FLAGS);
    out->sci_interrupt = acpi_u16(table + FADT_SCI_INT);
    if (out->revision >= FADT_FIRST_REVISION_WITH_BOOT_ARCH) {
        out->boot_arch_valid = true;
        out->boot_arch = acpi_u16(table + FADT_IAPC_BOOT_ARCH);
    }
    find_pm_timer(table, length, out, info);
    find_reset_register(table, length, out, info);
    out->present = true;
}
