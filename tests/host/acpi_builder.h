/*
 * Hand-made ACPI tables for the parser's host tests: a fake machine (acpi_fake_memory.h) with an
 * RSDP, a root table and whatever tables a test lays out, every checksum right unless a test
 * breaks it on purpose.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi.h"
#include "tests/host/acpi_fake_memory.h"

/* Where the builder puts things. Tables go at TABLE_AT(0), TABLE_AT(1), ... */
#define RSDT_AT     0x7fe0000ULL
#define XSDT_AT     0x100000000ULL /* above 4 GiB, where only a 64-bit pointer reaches */
#define TABLE_AT(i) (0x7ff0000ULL + (uint64_t)(i)*0x1000)

struct machine {
    struct fake_memory memory;
    uint8_t rsdp[64];
    uint32_t rsdp_length;
    struct acpi_info info;
};

void put_u16(uint8_t *p, uint16_t v);
void put_u32(uint8_t *p, uint32_t v);
void put_u64(uint8_t *p, uint64_t v);

/* Sets byte 9 (the SDT checksum) so that the table's length bytes sum to 0. */
void fix_checksum(uint8_t *table, uint32_t length);

/*
 * A table at phys: the block is mapped bytes long (at least length), the header says signature,
 * length and revision, the rest is zero. The checksum is left for fix_checksum, after filling.
 */
uint8_t *add_table(struct machine *m, uint64_t phys, const char *signature, uint32_t length,
                   uint32_t mapped, uint8_t revision);

/* An RSDP of the given revision (0: 20 bytes; 2: 36 bytes) with both checksums right. */
void set_rsdp(struct machine *m, uint8_t revision, uint32_t rsdt, uint64_t xsdt);

/* An RSDT (4-byte entries) or XSDT (8-byte) at phys listing entries, checksum right. */
uint8_t *add_root(struct machine *m, const char *signature, uint64_t phys, const uint64_t *entries,
                  size_t count);

/*
 * The usual machine: an ACPI 1.0 RSDP, an RSDT at RSDT_AT listing count tables at TABLE_AT(0..),
 * which the test adds.
 */
struct machine *machine_new(size_t count);
void machine_free(struct machine *m);

/* Runs the parser over the machine; the result is in m->info. */
void machine_parse(struct machine *m);

/* Whether one of the problems reported contains text. */
bool has_problem(const struct acpi_info *info, const char *text);

/* All problems on one line each, for a failure message. */
const char *problem_list(const struct acpi_info *info);
