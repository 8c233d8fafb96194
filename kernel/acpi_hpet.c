/*
 * The HPET description table (IA-PC HPET specification 1.0a, 3.2.4): where the timer block's
 * registers are and what it says of itself. Its period is read from the HPET later, not here.
 */
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/string.h"

/* HPET spec 3.2.4 table 3: byte offsets after the standard header. */
#define HPET_BLOCK_ID 36
#define HPET_BASE     40
#define HPET_NUMBER   52
#define HPET_MIN_TICK 53
#define HPET_LENGTH   56

/* Event Timer Block ID (the capabilities register's low 32 bits, spec 2.3.4). */
#define HPET_ID_COMPARATORS(id) ((((id) >> 8) & 0x1f) + 1) /* NUM_TIM_CAP is the last index */
#define HPET_ID_COUNTER_64BIT   (1u << 13)
#define HPET_ID_LEGACY_ROUTE    (1u << 15)

void acpi_parse_hpet(const uint8_t *table, uint32_t length, struct acpi_hpet *out,
                     struct acpi_info *info)
{
    memset(out, 0, sizeof(*out));
    if (length < HPET_LENGTH) {
        acpi_problem(info, "HPET", "length %u is shorter than %u", length, HPET_LENGTH);
        return;
    }
    struct acpi_gas base = acpi_gas_at(table + HPET_BASE);
    /* 3.2.4: the registers are memory-mapped; anything else cannot be an HPET. */
    if (base.space != ACPI_SPACE_MEMORY || base.address == 0) {
        acpi_problem(info, "HPET", "base address 0x%llx in address space %u, not memory",
                     (unsigned long long)base.address, base.space);
        return;
    }
    uint32_t id = acpi_u32(table + HPET_BLOCK_ID);
    *out = (struct acpi_hpet){
        .present = true,
        .base = base,
        .block_id = id,
        .comparators = HPET_ID_COMPARATORS(id),
        .counter_64bit = id & HPET_ID_COUNTER_64BIT,
        .legacy_replacement = id & HPET_ID_LEGACY_ROUTE,
        .number = table[HPET_NUMBER],
        .min_tick = acpi_u16(table + HPET_MIN_TICK),
    };
}
