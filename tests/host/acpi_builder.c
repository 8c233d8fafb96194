/* Hand-made ACPI tables for the host tests (see acpi_builder.h). */
#include "tests/host/acpi_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void put_u32(uint8_t *p, uint32_t v)
{
    put_u16(p, (uint16_t)v);
    put_u16(p + 2, (uint16_t)(v >> 16));
}

void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t sum(const uint8_t *bytes, size_t length)
{
    uint8_t s = 0;
    for (size_t i = 0; i < length; i++)
        s = (uint8_t)(s + bytes[i]);
    return s;
}

void fix_checksum(uint8_t *table, uint32_t length)
{
    table[9] = 0;
    table[9] = (uint8_t)-sum(table, length);
}

uint8_t *add_table(struct machine *m, uint64_t phys, const char *signature, uint32_t length,
                   uint32_t mapped, uint8_t revision)
{
    uint8_t *t = fake_memory_add(&m->memory, phys, mapped);
    if (mapped >= 4)
        memcpy(t, signature, 4);
    if (mapped >= 8)
        put_u32(t + 4, length);
    if (mapped >= 9)
        t[8] = revision;
    if (mapped >= 16)
        memcpy(t + 10, "KEELTS", 6);
    return t;
}

void set_rsdp(struct machine *m, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memset(m->rsdp, 0, sizeof(m->rsdp));
    memcpy(m->rsdp, "RSD PTR ", 8);
    memcpy(m->rsdp + 9, "KEELTS", 6);
    m->rsdp[15] = revision;
    put_u32(m->rsdp + 16, rsdt);
    m->rsdp[8] = (uint8_t)-sum(m->rsdp, 20);
    m->rsdp_length = 20;
    if (revision >= 2) {
        put_u32(m->rsdp + 20, 36);
        put_u64(m->rsdp + 24, xsdt);
        m->rsdp[32] = (uint8_t)-sum(m->rsdp, 36);
        m->rsdp_length = 36;
    }
}

uint8_t *add_root(struct machine *m, const char *signature, uint64_t phys, const uint64_t *entries,
                  size_t count)
{
    uint32_t size = strcmp(signature, "XSDT") == 0 ? 8 : 4;
    uint32_t length = 36 + (uint32_t)count * size;
    uint8_t *t = add_table(m, phys, signature, length, length, 1);
    for (size_t i = 0; i < count; i++) {
        if (size == 8)
            put_u64(t + 36 + i * 8, entries[i]);
        else
            put_u32(t + 36 + i * 4, (uint32_t)entries[i]);
    }
    fix_checksum(t, length);
    return t;
}

struct machine *machine_new(size_t count)
{
    struct machine *m = calloc(1, sizeof(*m));
    uint64_t *entries = calloc(count ? count : 1, sizeof(*entries));
    if (m == NULL || entries == NULL)
        abort();
    for (size_t i = 0; i < count; i++)
        entries[i] = TABLE_AT(i);
    set_rsdp(m, 0, RSDT_AT, 0);
    add_root(m, "RSDT", RSDT_AT, entries, count);
    free(entries);
    return m;
}

void machine_free(struct machine *m)
{
    fake_memory_free(&m->memory);
    free(m);
}

void machine_parse(struct machine *m)
{
    struct acpi_memory memory = fake_memory_accessor(&m->memory);
    acpi_parse(&memory, m->rsdp, m->rsdp_length, &m->info);
}

bool has_problem(const struct acpi_info *info, const char *text)
{
    for (size_t i = 0; i < info->problem_count; i++)
        if (strstr(info->problems[i], text) != NULL)
            return true;
    return false;
}

const char *problem_list(const struct acpi_info *info)
{
    static char list[ACPI_MAX_PROBLEMS * (ACPI_PROBLEM_SIZE + 1) + 1];
    size_t at = 0;

    list[0] = '\0';
    for (size_t i = 0; i < info->problem_count; i++)
        at += (size_t)snprintf(list + at, sizeof(list) - at, "%s\n", info->problems[i]);
    return info->problem_count ? list : "(no problems)";
}
