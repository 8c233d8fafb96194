/*
 * keel.acpi_dump's walk (kernel/acpi_dump.c) over fake physical memory. The console here reads
 * the dump back line by line, as tests/fuzz/acpi_dump_to_capture.py does, so each test states
 * which records (address, length, bytes) and which notes came out. Over every capture in
 * tests/fuzz/corpus/acpi the dump must give the capture back, record for record; then each limit
 * of the walk at its boundary: a table's length at the header's size and at ACPI_DUMP_MAX_TABLE,
 * an RSDP's claimed length at 36 and ACPI_DUMP_MAX_RSDP, ACPI_DUMP_MAX_TABLES tables, pointers
 * into nowhere, tables listed twice.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/acpi.h"
#include "kernel/console.h"
#include "tests/host/acpi_builder.h"
#include "tests/host/acpi_fake_memory.h"

#define RSDP_AT     0xe0000ULL
#define MAX_RECORDS (ACPI_DUMP_MAX_TABLES + 8)

struct record {
    uint64_t phys;
    uint32_t length, filled;
    uint8_t *bytes;
};

static struct record records[MAX_RECORDS];
static size_t record_count;
static char notes[1024];   /* every other "acpi-dump: " line, each ending in '\n' */
static int end_count = -1; /* N of "acpi-dump: end N tables", -1 before it */
static char line[256];
static size_t line_length;

static void reset_dump(void)
{
    for (size_t i = 0; i < record_count; i++)
        free(records[i].bytes);
    record_count = 0;
    notes[0] = '\0';
    end_count = -1;
    line_length = 0;
}

/* Moves *text past prefix, if it starts with it. */
static bool skip_prefix(const char **text, const char *prefix)
{
    size_t length = strlen(prefix);

    if (strncmp(*text, prefix, length) != 0)
        return false;
    *text += length;
    return true;
}

/* Reads a number in base at *text and moves past it; false when no digit is there. */
static bool number(const char **text, int base, unsigned long long *value)
{
    char *end;

    if (!isxdigit((unsigned char)**text))
        return false;
    errno = 0;
    *value = strtoull(*text, &end, base);
    if (end == *text || errno != 0)
        return false;
    *text = end;
    return true;
}

static unsigned hex_digit(char c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
}

static void take_bytes(unsigned long long phys, const char *hex)
{
    assert_true(record_count > 0);
    struct record *r = &records[record_count - 1];

    assert_int_equal(phys, r->phys + r->filled);
    assert_int_equal(strlen(hex) % 2, 0);
    assert_true(strlen(hex) / 2 <= ACPI_DUMP_LINE_BYTES);
    for (; *hex; hex += 2) {
        assert_true(r->filled < r->length);
        r->bytes[r->filled++] = (uint8_t)(hex_digit(hex[0]) << 4 | hex_digit(hex[1]));
    }
}

static void take_line(const char *text)
{
    unsigned long long phys, length, count;
    const char *at;

    if (!skip_prefix(&text, "acpi-dump: "))
        fail_msg("a line without the prefix: %s", text);
    if (end_count >= 0)
        fail_msg("a line after the end line: %s", text);
    at = text;
    if (skip_prefix(&at, "table 0x") && number(&at, 16, &phys) && skip_prefix(&at, " ") &&
        number(&at, 10, &length) && skip_prefix(&at, " ") && strlen(at) == 4 && !strchr(at, ' ')) {
        assert_true(record_count < MAX_RECORDS);
        if (record_count > 0)
            assert_int_equal(records[record_count - 1].filled, records[record_count - 1].length);
        records[record_count++] =
            (struct record){phys, (uint32_t)length, 0, calloc(1, (size_t)length + 1)};
        return;
    }
    at = text;
    if (skip_prefix(&at, "end ") && number(&at, 10, &count) && strcmp(at, " tables") == 0) {
        end_count = (int)count;
        return;
    }
    at = text;
    if (skip_prefix(&at, "0x") && number(&at, 16, &phys) && skip_prefix(&at, " ") && *at != '\0' &&
        strspn(at, "0123456789abcdef") == strlen(at)) {
        take_bytes(phys, at);
        return;
    }
    snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes), "%s\n", text);
}

/* The console the kernel code prints on: whole lines go to take_line. */
void console_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            line[line_length] = '\0';
            take_line(line);
            line_length = 0;
        } else {
            assert_true(line_length < sizeof(line) - 1);
            line[line_length++] = text[i];
        }
    }
}

void console_lock(void)
{
}

void console_unlock(void)
{
}

void console_set_cursor(bool visible)
{
    (void)visible;
}

static void dump(struct fake_memory *memory, uint64_t rsdp_phys)
{
    struct acpi_memory accessor = fake_memory_accessor(memory);

    reset_dump();
    acpi_dump(&accessor, rsdp_phys);
    assert_int_equal(line_length, 0);
    assert_int_equal(end_count, (int)record_count);
    for (size_t i = 0; i < record_count; i++)
        assert_int_equal(records[i].filled, records[i].length);
}

/* The record at index is phys, length bytes long, and holds what memory has there. */
static void check_record(struct fake_memory *memory, size_t index, uint64_t phys, uint32_t length)
{
    assert_true(index < record_count);
    assert_int_equal(records[index].phys, phys);
    assert_int_equal(records[index].length, length);
    struct fake_block *block = fake_memory_block(memory, phys);
    assert_non_null(block);
    assert_true(block->length >= length);
    assert_memory_equal(records[index].bytes, block->bytes, length);
}

static void test_every_capture_comes_back(void **state)
{
    (void)state;
    static const char *const files[] = {"qemu_pc_seabios.bin", "qemu_q35_seabios.bin",
                                        "qemu_pc_ovmf.bin", "qemu_q35_ovmf.bin", "bochs.bin"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char path[256];
        static uint8_t data[1 << 16];
        struct fake_memory memory = {0};

        snprintf(path, sizeof(path), "tests/fuzz/corpus/acpi/%s", files[f]);
        FILE *file = fopen(path, "rb");
        if (file == NULL)
            fail_msg("%s is missing", path);
        size_t size = fread(data, 1, sizeof(data), file);
        fclose(file);
        size_t count = fake_memory_load(&memory, data, size);
        assert_true(count >= 3);
        dump(&memory, memory.blocks[0].phys);
        if (record_count != count || notes[0] != '\0')
            fail_msg("%s: %zu records of %zu, notes: %s", files[f], record_count, count, notes);
        for (size_t i = 0; i < count; i++)
            check_record(&memory, i, memory.blocks[i].phys, memory.blocks[i].length);
        fake_memory_free(&memory);
    }
}

/* A machine whose RSDT lists one table at TABLE_AT(0) of header length length, mapped bytes. */
static struct machine *one_table(uint32_t length, uint32_t mapped)
{
    struct machine *m = machine_new(1);
    uint8_t *table = add_table(m, TABLE_AT(0), "TEST", length < 36 ? 36 : length, mapped, 1);

    memcpy(table + 4, &length, 4); /* little-endian host */
    memcpy(fake_memory_add(&m->memory, RSDP_AT, m->rsdp_length), m->rsdp, m->rsdp_length);
    return m;
}

static void test_table_length_at_the_header(void **state)
{
    (void)state;
    struct machine *m = one_table(35, 36);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 3);
    check_record(&m->memory, 1, RSDT_AT, 40);
    check_record(&m->memory, 2, TABLE_AT(0), 36); /* the header only */
    assert_string_equal(notes, "0x7ff0000 has length 35, dumping its header only\n");
    machine_free(m);

    m = one_table(36, 36);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 3);
    check_record(&m->memory, 2, TABLE_AT(0), 36);
    assert_string_equal(notes, "");
    machine_free(m);
}

static void test_table_length_at_the_limit(void **state)
{
    (void)state;
    struct machine *m = one_table(ACPI_DUMP_MAX_TABLE, ACPI_DUMP_MAX_TABLE);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 3);
    check_record(&m->memory, 2, TABLE_AT(0), ACPI_DUMP_MAX_TABLE);
    assert_string_equal(notes, "");
    machine_free(m);

    m = one_table(ACPI_DUMP_MAX_TABLE + 1, ACPI_DUMP_MAX_TABLE + 1);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 3);
    check_record(&m->memory, 2, TABLE_AT(0), 36);
    assert_string_equal(notes, "0x7ff0000 has length 1048577, dumping its header only\n");
    machine_free(m);
}

/* A table whose length runs past what is mapped, and a pointer to nothing: named, left out. */
static void test_unmapped_pointers(void **state)
{
    (void)state;
    struct machine *m = one_table(100, 99);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 2);
    assert_string_equal(notes, "0x7ff0000 not mapped\n");
    machine_free(m);

    m = machine_new(2); /* TABLE_AT(1) is never added */
    add_table(m, TABLE_AT(0), "TEST", 40, 40, 1);
    memcpy(fake_memory_add(&m->memory, RSDP_AT, m->rsdp_length), m->rsdp, m->rsdp_length);
    dump(&m->memory, RSDP_AT);
    assert_int_equal(record_count, 3);
    check_record(&m->memory, 2, TABLE_AT(0), 40);
    assert_string_equal(notes, "0x7ff1000 not mapped\n");
    dump(&m->memory, RSDP_AT + 1);
    assert_int_equal(record_count, 0);
    assert_string_equal(notes, "0xe0001 not mapped\n");
    dump(&m->memory, 0);
    assert_int_equal(record_count, 0);
    assert_string_equal(notes, "no RSDP in the boot information\n");
    machine_free(m);
}

/*
 * An ACPI 2.0 RSDP at RSDP_AT claiming length bytes, mapped bytes of it, with an XSDT listing
 * the RSDT's table again: the table is dumped once.
 */
static struct machine *rsdp_v2(uint32_t length, uint32_t mapped)
{
    struct machine *m = machine_new(1);
    add_table(m, TABLE_AT(0), "TEST", 40, 40, 1);
    uint64_t entry = TABLE_AT(0);
    add_root(m, "XSDT", XSDT_AT, &entry, 1);
    set_rsdp(m, 2, RSDT_AT, XSDT_AT);
    uint8_t *rsdp = fake_memory_add(&m->memory, RSDP_AT, mapped);
    memcpy(rsdp, m->rsdp, 36);
    memcpy(rsdp + 20, &length, 4);
    return m;
}

static void test_rsdp_length(void **state)
{
    (void)state;
    static const struct {
        uint32_t claimed, mapped, dumped;
    } cases[] = {
        {35, 36, 36},
        {36, 36, 36},
        {37, 37, 37},
        {37, 36, 36}, /* the claim runs past what is mapped: said, and 36 dumped */
        {ACPI_DUMP_MAX_RSDP, ACPI_DUMP_MAX_RSDP, ACPI_DUMP_MAX_RSDP},
        {ACPI_DUMP_MAX_RSDP + 1, ACPI_DUMP_MAX_RSDP + 1, 36},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct machine *m = rsdp_v2(cases[c].claimed, cases[c].mapped);
        dump(&m->memory, RSDP_AT);
        if (record_count != 4)
            fail_msg("claimed %u: %zu records", cases[c].claimed, record_count);
        check_record(&m->memory, 0, RSDP_AT, cases[c].dumped);
        check_record(&m->memory, 1, RSDT_AT, 40);
        check_record(&m->memory, 2, TABLE_AT(0), 40);
        check_record(&m->memory, 3, XSDT_AT, 44);
        assert_string_equal(notes,
                            cases[c].claimed > cases[c].mapped ? "0xe0000 not mapped\n" : "");
        machine_free(m);
    }
}

/* The RSDP, the RSDT and count tables: ACPI_DUMP_MAX_TABLES of them in all fit, one more not. */
static void test_table_count_limit(void **state)
{
    (void)state;
    for (size_t count = ACPI_DUMP_MAX_TABLES - 2; count <= ACPI_DUMP_MAX_TABLES - 1; count++) {
        struct machine *m = machine_new(count);
        for (size_t i = 0; i < count; i++)
            add_table(m, TABLE_AT(i), "TEST", 36, 36, 1);
        memcpy(fake_memory_add(&m->memory, RSDP_AT, m->rsdp_length), m->rsdp, m->rsdp_length);
        dump(&m->memory, RSDP_AT);
        if (count + 2 <= ACPI_DUMP_MAX_TABLES) {
            assert_int_equal(record_count, count + 2);
            assert_string_equal(notes, "");
        } else {
            char expected[96];
            snprintf(expected, sizeof(expected), "0x%llx left out: more than %d tables\n",
                     (unsigned long long)TABLE_AT(count - 1), ACPI_DUMP_MAX_TABLES);
            assert_int_equal(record_count, ACPI_DUMP_MAX_TABLES);
            assert_string_equal(notes, expected);
        }
        machine_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_capture_comes_back),
        cmocka_unit_test(test_table_length_at_the_header),
        cmocka_unit_test(test_table_length_at_the_limit),
        cmocka_unit_test(test_unmapped_pointers),
        cmocka_unit_test(test_rsdp_length),
        cmocka_unit_test(test_table_count_limit),
    };

    return cmocka_run_group_tests_name("acpi_dump", tests, NULL, NULL);
}
