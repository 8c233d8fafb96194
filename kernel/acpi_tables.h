/*
 * Inside the ACPI parser (kernel/acpi*.c): the byte layout of the tables, as offsets from the
 * ACPI 6.5 specification, and the helpers the per-table parsers share. Tables are read byte by
 * byte, little-endian, so no field is ever read through a misaligned or out-of-range pointer.
 */
#pragma once

#include <stdint.h>

#include "kernel/acpi.h"
#include "kernel/compiler.h"

/* 5.2.5.3, the RSDP. The first checksum covers 20 bytes, the extended one the whole length. */
#define RSDP_V1_SIZE           20
#define RSDP_V2_SIZE           36
#define RSDP_OEM_ID            9
#define RSDP_REVISION          15
#define RSDP_RSDT_ADDRESS      16
#define RSDP_LENGTH            20
#define RSDP_XSDT_ADDRESS      24
#define RSDP_FIRST_REVISION_V2 2

/* 5.2.6, the header every description table starts with. */
#define SDT_SIGNATURE   0
#define SDT_LENGTH      4
#define SDT_REVISION    8
#define SDT_HEADER_SIZE 36

/* 5.2.3.2, a Generic Address Structure is 12 bytes. */
#define GAS_SIZE 12

static inline uint16_t acpi_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t acpi_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t acpi_u64(const uint8_t *p)
{
    return (uint64_t)acpi_u32(p) | (uint64_t)acpi_u32(p + 4) << 32;
}

static inline struct acpi_gas acpi_gas_at(const uint8_t *p)
{
    return (struct acpi_gas){.space = p[0],
                             .bit_width = p[1],
                             .bit_offset = p[2],
                             .access_size = p[3],
                             .address = acpi_u64(p + 4)};
}

/* Records one problem, "<table>: <what>", in info->problems (or counts it when that is full). */
void acpi_problem(struct acpi_info *info, const char *table, const char *fmt, ...)
    __printf_like(3, 4);

/*
 * The per-table parsers. Each gets a table whose header, length and checksum are checked, the
 * length at least SDT_HEADER_SIZE, and address for messages. Each fills *out and sets
 * out->present, or reports one problem and leaves *out all zero: a table that is wrong anywhere
 * is not trusted anywhere.
 */
void acpi_parse_madt(const uint8_t *table, uint32_t length, struct acpi_madt *out,
                     struct acpi_info *info);
void acpi_parse_fadt(const uint8_t *table, uint32_t length, struct acpi_fadt *out,
                     struct acpi_info *info);
void acpi_parse_hpet(const uint8_t *table, uint32_t length, struct acpi_hpet *out,
                     struct acpi_info *info);
void acpi_parse_mcfg(const uint8_t *table, uint32_t length, struct acpi_mcfg *out,
                     struct acpi_info *info);
