/*
 * The ACPI parser's walk from the RSDP to the tables, over hand-made tables: every check on the
 * RSDP (ACPI 6.5 5.2.5.3), the RSDT and XSDT (5.2.7, 5.2.8) and the header, length and checksum
 * of any table (5.2.6), each at its boundary: the shortest length that passes and the one that
 * does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/acpi.h"
#include "tests/host/acpi_builder.h"

#define assert_problem(info, text)                                                                 \
    do {                                                                                           \
        if (!has_problem(info, text))                                                              \
            fail_msg("no problem mentions \"%s\"; the problems:\n%s", text, problem_list(info));   \
    } while (0)

/* A MADT with one local APIC, so a test can tell whether the table was used. */
static uint8_t *add_madt(struct machine *m, uint64_t phys, uint32_t length, uint32_t mapped)
{
    uint8_t *t = add_table(m, phys, "APIC", length, mapped, 3);
    if (mapped >= 52 && length >= 52) {
        put_u32(t + 36, 0xfee00000);
        uint8_t lapic[8] = {0, 8, 0, 7, 1, 0, 0, 0};
        memcpy(t + 44, lapic, 8);
    }
    if (mapped >= length)
        fix_checksum(t, length);
    return t;
}

/* A machine with an ACPI 2.0 RSDP whose RSDT and XSDT both list count tables at TABLE_AT(i). */
static struct machine *machine_v2(size_t count)
{
    struct machine *m = machine_new(count);
    uint64_t entries[40];
    for (size_t i = 0; i < count; i++)
        entries[i] = TABLE_AT(i);
    set_rsdp(m, 2, RSDT_AT, XSDT_AT);
    add_root(m, "XSDT", XSDT_AT, entries, count);
    return m;
}

static void test_no_rsdp(void **state)
{
    (void)state;
    struct machine *m = machine_new(0);
    struct acpi_memory memory = fake_memory_accessor(&m->memory);
    acpi_parse(&memory, NULL, 0, &m->info);
    assert_false(m->info.present);
    assert_problem(&m->info, "RSDP: none in the boot information");
    machine_free(m);
}

/* 20 bytes is ACPI 1.0's RSDP; one fewer is refused. */
static void test_rsdp_length(void **state)
{
    (void)state;
    struct machine *m = machine_new(0);
    m->rsdp_length = 19;
    machine_parse(m);
    assert_false(m->info.present);
    assert_problem(&m->info, "RSDP: 19 bytes");
    m->rsdp_length = 20;
    machine_parse(m);
    assert_true(m->info.present);
    assert_int_equal(m->info.root_address, RSDT_AT);
    machine_free(m);
}

static void test_rsdp_signature_and_checksum(void **state)
{
    (void)state;
    struct machine *m = machine_new(0);
    m->rsdp[0] = 'r';
    machine_parse(m);
    assert_false(m->info.present);
    assert_problem(&m->info, "RSDP: signature");

    set_rsdp(m, 0, RSDT_AT, 0);
    m->rsdp[12]++; /* inside the first 20 bytes, checksum not fixed */
    machine_parse(m);
    assert_false(m->info.present);
    assert_problem(&m->info, "RSDP: checksum is wrong");
    machine_free(m);
}

static void test_xsdt_preferred(void **state)
{
    (void)state;
    struct machine *m = machine_v2(1);
    add_madt(m, TABLE_AT(0), 52, 52);
    machine_parse(m);
    assert_true(m->info.uses_xsdt);
    assert_int_equal(m->info.root_address, XSDT_AT);
    assert_int_equal(m->info.revision, 2);
    assert_string_equal(m->info.oem_id, "KEELTS");
    assert_true(m->info.madt.present);
    assert_int_equal(m->info.table_count, 1);
    assert_string_equal(m->info.tables[0].signature, "APIC");
    machine_free(m);
}

/* A revision 2 RSDP in only 20 bytes (a copy of its ACPI 1.0 part): the RSDT is used. */
static void test_rsdp_v2_short_copy(void **state)
{
    (void)state;
    struct machine *m = machine_v2(0);
    m->rsdp_length = 20;
    machine_parse(m);
    assert_true(m->info.present);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "RSDP: revision 2 in only 20 bytes");
    m->rsdp_length = 35;
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "revision 2 in only 35 bytes");
    m->rsdp_length = 36;
    machine_parse(m);
    assert_true(m->info.uses_xsdt);
    machine_free(m);
}

/* The RSDP's own length field: at least 36, at most what was copied. */
static void test_rsdp_v2_length_field(void **state)
{
    (void)state;
    struct machine *m = machine_v2(0);

    put_u32(m->rsdp + 20, 35);
    m->rsdp[32] = 0;
    m->rsdp[32] = (uint8_t)-m->rsdp[32];
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "RSDP: length 35 is outside 36..36");

    /* 40 bytes copied: a length of 40 is fine, 41 is not. */
    for (uint32_t length = 40; length <= 41; length++) {
        set_rsdp(m, 2, RSDT_AT, XSDT_AT);
        m->rsdp_length = 40;
        put_u32(m->rsdp + 20, length);
        uint8_t sum = 0;
        m->rsdp[32] = 0;
        for (uint32_t i = 0; i < 40; i++)
            sum = (uint8_t)(sum + m->rsdp[i]);
        m->rsdp[32] = (uint8_t)-sum;
        machine_parse(m);
        if (length == 40) {
            assert_true(m->info.uses_xsdt);
            assert_int_equal(m->info.problem_count, 2); /* MADT, FADT not listed */
        } else {
            assert_false(m->info.uses_xsdt);
            assert_problem(&m->info, "RSDP: length 41 is outside 36..40");
        }
    }
    machine_free(m);
}

static void test_rsdp_v2_bad_extended_checksum(void **state)
{
    (void)state;
    struct machine *m = machine_v2(1);
    add_madt(m, TABLE_AT(0), 52, 52);
    m->rsdp[33]++; /* a reserved byte: only the extended checksum covers it */
    machine_parse(m);
    assert_true(m->info.present);
    assert_false(m->info.uses_xsdt);
    assert_int_equal(m->info.root_address, RSDT_AT);
    assert_problem(&m->info, "RSDP: extended checksum is wrong, using the RSDT");
    assert_true(m->info.madt.present); /* through the RSDT */
    machine_free(m);
}

static void test_no_root_address(void **state)
{
    (void)state;
    struct machine *m = machine_new(0);
    set_rsdp(m, 2, 0, 0);
    machine_parse(m);
    assert_true(m->info.present);
    assert_int_equal(m->info.root_address, 0);
    assert_problem(&m->info, "RSDP: gives neither an RSDT nor an XSDT");

    /* Revision 2 without an XSDT: the RSDT, and nothing to report about it. */
    set_rsdp(m, 2, RSDT_AT, 0);
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_int_equal(m->info.root_address, RSDT_AT);
    assert_false(has_problem(&m->info, "RSDP"));
    machine_free(m);
}

static void test_bad_xsdt_falls_back_to_rsdt(void **state)
{
    (void)state;
    struct machine *m = machine_v2(1);
    add_madt(m, TABLE_AT(0), 52, 52);
    fake_memory_block(&m->memory, XSDT_AT)->bytes[40] ^= 1;
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "XSDT: checksum at 0x100000000 is wrong");
    assert_true(m->info.madt.present);
    machine_free(m);
}

static void test_root_signature(void **state)
{
    (void)state;
    struct machine *m = machine_v2(0);
    uint8_t *xsdt = fake_memory_block(&m->memory, XSDT_AT)->bytes;
    memcpy(xsdt, "RSDT", 4);
    fix_checksum(xsdt, 36);
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "XSDT: 0x100000000 has signature \"RSDT\"");
    machine_free(m);
}

/* The root table's length: 35 is refused, 36 (no entries) is fine. */
static void test_root_length_vs_header(void **state)
{
    (void)state;
    for (uint32_t length = 35; length <= 36; length++) {
        struct machine *m = machine_new(0);
        fake_memory_free(&m->memory);
        uint8_t *rsdt = add_table(m, RSDT_AT, "RSDT", length, 36, 1);
        fix_checksum(rsdt, 36); /* over the mapped 36, so only the length is wrong */
        machine_parse(m);
        if (length == 35) {
            assert_int_equal(m->info.root_address, 0);
            assert_problem(&m->info, "RSDT: length 35 at 0x7fe0000 is shorter than the 36-byte");
        } else {
            assert_int_equal(m->info.root_address, RSDT_AT);
            assert_int_equal(m->info.table_count, 0);
            assert_problem(&m->info, "MADT: not listed in the RSDT");
            assert_problem(&m->info, "FADT: not listed in the RSDT");
        }
        machine_free(m);
    }
}

/* The mapping must cover the whole length: ending exactly at its end is fine, one byte more not. */
static void test_root_length_vs_mapping(void **state)
{
    (void)state;
    for (uint32_t mapped = 39; mapped <= 40; mapped++) {
        struct machine *m = machine_new(0);
        fake_memory_free(&m->memory);
        uint8_t *rsdt = add_table(m, RSDT_AT, "RSDT", 40, mapped, 1);
        if (mapped == 40)
            fix_checksum(rsdt, 40); /* entry 0 is address 0 */
        machine_parse(m);
        if (mapped == 39) {
            assert_int_equal(m->info.root_address, 0);
            assert_problem(&m->info, "RSDT: length 40 at 0x7fe0000 runs past mapped memory");
        } else {
            assert_int_equal(m->info.root_address, RSDT_AT);
            assert_problem(&m->info, "RSDT entry 0: address is 0");
        }
        machine_free(m);
    }
    /* Not even the header mapped. */
    struct machine *m = machine_new(0);
    fake_memory_truncate(&m->memory, RSDT_AT, 35);
    machine_parse(m);
    assert_problem(&m->info, "RSDT: 0x7fe0000 is not mapped");
    machine_free(m);
}

static void test_root_partial_entry(void **state)
{
    (void)state;
    struct machine *m = machine_v2(0);
    fake_memory_free(&m->memory);
    add_root(m, "RSDT", RSDT_AT, NULL, 0);
    uint8_t *xsdt = add_table(m, XSDT_AT, "XSDT", 44, 44, 1);
    put_u32(xsdt + 4, 40); /* half an 8-byte entry */
    fix_checksum(xsdt, 40);
    machine_parse(m);
    assert_false(m->info.uses_xsdt);
    assert_problem(&m->info, "XSDT: length 40 leaves a partial 8-byte entry");

    put_u32(xsdt + 4, 44);
    fix_checksum(xsdt, 44);
    machine_parse(m);
    assert_true(m->info.uses_xsdt);
    assert_problem(&m->info, "XSDT entry 0: address is 0");
    machine_free(m);
}

/* An entry pointing where nothing is mapped is reported; the next entry is still read. */
static void test_entry_pointing_nowhere(void **state)
{
    (void)state;
    uint64_t entries[] = {0x12345000, 0xfffffffffffffff0ULL, TABLE_AT(2)};
    struct machine *m = machine_v2(0);
    fake_memory_free(&m->memory);
    add_root(m, "XSDT", XSDT_AT, entries, 3);
    add_madt(m, TABLE_AT(2), 52, 52);
    set_rsdp(m, 2, 0, XSDT_AT);
    machine_parse(m);
    assert_problem(&m->info, "XSDT entry 0: 0x12345000 is not mapped");
    assert_problem(&m->info, "XSDT entry 1: 0xfffffffffffffff0 is not mapped");
    assert_true(m->info.madt.present);
    assert_int_equal(m->info.table_count, 3);
    assert_false(m->info.tables[0].valid);
    assert_true(m->info.tables[2].valid);
    machine_free(m);
}

/* A listed table's header, length and checksum, as for the root: each boundary. */
static void test_table_length_and_checksum(void **state)
{
    (void)state;
    struct machine *m = machine_new(1);
    add_table(m, TABLE_AT(0), "APIC", 35, 64, 3);
    machine_parse(m);
    assert_problem(&m->info, "MADT: length 35 at 0x7ff0000 is shorter than the 36-byte header");
    assert_false(m->info.madt.present);
    assert_false(has_problem(&m->info, "MADT: not listed"));
    machine_free(m);

    /* 36 passes the header check (the MADT's own check then wants 44). */
    m = machine_new(1);
    fix_checksum(add_table(m, TABLE_AT(0), "APIC", 36, 36, 3), 36);
    machine_parse(m);
    assert_problem(&m->info, "MADT: length 36 is shorter than the 44 before its entries");
    assert_true(m->info.tables[0].valid);
    machine_free(m);

    m = machine_new(1);
    add_madt(m, TABLE_AT(0), 52, 51);
    machine_parse(m);
    assert_problem(&m->info, "MADT: length 52 at 0x7ff0000 runs past mapped memory");
    assert_false(m->info.madt.present);
    machine_free(m);

    m = machine_new(1);
    add_madt(m, TABLE_AT(0), 52, 52)[50] ^= 0x80;
    machine_parse(m);
    assert_problem(&m->info, "MADT: checksum at 0x7ff0000 is wrong (bytes sum to 0x80, not 0)");
    assert_false(m->info.madt.present);
    assert_false(m->info.tables[0].valid);
    machine_free(m);

    m = machine_new(1);
    add_madt(m, TABLE_AT(0), 52, 52);
    machine_parse(m);
    assert_true(m->info.madt.present);
    machine_free(m);
}

static void test_duplicate_and_unprintable(void **state)
{
    (void)state;
    struct machine *m = machine_new(3);
    add_madt(m, TABLE_AT(0), 52, 52);
    add_madt(m, TABLE_AT(1), 52, 52);
    uint8_t *odd = add_table(m, TABLE_AT(2),
                             "\x01"
                             "BC\x7f",
                             36, 36, 1);
    fix_checksum(odd, 36);
    machine_parse(m);
    assert_true(m->info.madt.present);
    assert_problem(&m->info, "MADT: another one at 0x7ff1000, ignored");
    assert_string_equal(m->info.tables[2].signature, "?BC?");
    machine_free(m);
}

/* More tables than ACPI_MAX_TABLES: all parsed, the extra ones counted and reported. */
static void test_table_capacity(void **state)
{
    (void)state;
    struct machine *m = machine_new(ACPI_MAX_TABLES + 1);
    for (size_t i = 0; i < ACPI_MAX_TABLES; i++)
        fix_checksum(add_table(m, TABLE_AT(i), "WAET", 36, 36, 1), 36);
    add_madt(m, TABLE_AT(ACPI_MAX_TABLES), 52, 52);
    machine_parse(m);
    assert_int_equal(m->info.table_count, ACPI_MAX_TABLES);
    assert_int_equal(m->info.tables_skipped, 1);
    assert_true(m->info.madt.present);
    assert_problem(&m->info, "RSDT: 1 more tables than the 32 listed");
    machine_free(m);
}

/* More problems than ACPI_MAX_PROBLEMS: the first ones kept, the rest counted. */
static void test_problem_capacity(void **state)
{
    (void)state;
    struct machine *m = machine_new(20); /* 20 entries, none mapped; no MADT, no FADT */
    machine_parse(m);
    assert_int_equal(m->info.problem_count, ACPI_MAX_PROBLEMS);
    assert_int_equal(m->info.problems_skipped, 22 - ACPI_MAX_PROBLEMS);
    assert_string_equal(m->info.problems[0], "RSDT entry 0: 0x7ff0000 is not mapped");
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_rsdp),
        cmocka_unit_test(test_rsdp_length),
        cmocka_unit_test(test_rsdp_signature_and_checksum),
        cmocka_unit_test(test_xsdt_preferred),
        cmocka_unit_test(test_rsdp_v2_short_copy),
        cmocka_unit_test(test_rsdp_v2_length_field),
        cmocka_unit_test(test_rsdp_v2_bad_extended_checksum),
        cmocka_unit_test(test_no_root_address),
        cmocka_unit_test(test_bad_xsdt_falls_back_to_rsdt),
        cmocka_unit_test(test_root_signature),
        cmocka_unit_test(test_root_length_vs_header),
        cmocka_unit_test(test_root_length_vs_mapping),
        cmocka_unit_test(test_root_partial_entry),
        cmocka_unit_test(test_entry_pointing_nowhere),
        cmocka_unit_test(test_table_length_and_checksum),
        cmocka_unit_test(test_duplicate_and_unprintable),
        cmocka_unit_test(test_table_capacity),
        cmocka_unit_test(test_problem_capacity),
    };

    return cmocka_run_group_tests_name("acpi_root", tests, NULL, NULL);
}
