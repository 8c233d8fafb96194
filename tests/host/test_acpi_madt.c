/*
 * The MADT parser (ACPI 6.5 5.2.12) over hand-made tables: each entry type, the MPS INTI flags,
 * and every length check at its boundary (an entry ending exactly at the table's end, one byte
 * past; length 0 and 1, which would loop or misread; each type's shortest length and one less).
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
#include "tests/host/console_stub.h"

#define assert_problem(info, text)                                                                 \
    do {                                                                                           \
        if (!has_problem(info, text))                                                              \
            fail_msg("no problem mentions \"%s\"; the problems:\n%s", text, problem_list(info));   \
    } while (0)

#define MADT_ENTRIES 44

/* Entries are appended here, then madt_parse lays the table out and runs the parser. */
static uint8_t entries[16384];
static uint32_t entries_length;

static void entry(const uint8_t *bytes, uint32_t length)
{
    memcpy(entries + entries_length, bytes, length);
    entries_length += length;
}

static void local_apic(uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    uint8_t e[8] = {0, 8, uid, apic_id};
    put_u32(e + 4, flags);
    entry(e, sizeof(e));
}

/* table_length: the MADT's length field (normally MADT_ENTRIES + entries_length). */
static struct machine *madt_parse_length(uint32_t table_length, uint32_t flags)
{
    struct machine *m = machine_new(1);
    uint32_t length = MADT_ENTRIES + entries_length;
    uint8_t *t = add_table(m, TABLE_AT(0), "APIC", table_length, length, 4);
    put_u32(t + 36, 0xfee00000);
    put_u32(t + 40, flags);
    memcpy(t + MADT_ENTRIES, entries, entries_length);
    fix_checksum(t, table_length);
    machine_parse(m);
    entries_length = 0;
    return m;
}

static struct machine *madt_parse(void)
{
    return madt_parse_length(MADT_ENTRIES + entries_length, 1);
}

static void test_empty_madt(void **state)
{
    (void)state;
    struct machine *m = madt_parse_length(MADT_ENTRIES, 0);
    const struct acpi_madt *madt = &m->info.madt;
    assert_true(madt->present);
    assert_int_equal(madt->lapic_address, 0xfee00000);
    assert_false(madt->pcat_compat);
    assert_int_equal(madt->cpu_count, 0);
    machine_free(m);

    m = madt_parse_length(MADT_ENTRIES - 1, 1);
    assert_false(m->info.madt.present);
    assert_problem(&m->info, "MADT: length 43 is shorter than the 44");
    machine_free(m);
}

static void test_every_entry_type(void **state)
{
    (void)state;
    local_apic(0, 0, 1);
    local_apic(1, 2, 3); /* enabled, online-capable */
    local_apic(2, 4, 2); /* online-capable only */
    local_apic(3, 6, 0); /* neither: not kept */
    entry((uint8_t[]){1, 12, 7, 0, 0, 0, 0xc0, 0xfe, 24, 0, 0, 0}, 12); /* I/O APIC 7, GSI 24 */
    entry((uint8_t[]){2, 10, 0, 0, 2, 0, 0, 0, 0, 0}, 10);              /* IRQ 0 -> GSI 2 */
    entry((uint8_t[]){2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0}, 10);           /* level, active high */
    entry((uint8_t[]){2, 10, 0, 5, 5, 0, 0, 0, 0x0f, 0}, 10);           /* level, active low */
    entry((uint8_t[]){2, 10, 0, 3, 3, 0, 0, 0, 0x06, 0}, 10);           /* edge, reserved */
    entry((uint8_t[]){3, 8, 0x05, 0, 23, 0, 0, 0}, 8);                  /* NMI on GSI 23 */
    entry((uint8_t[]){4, 6, 0xff, 0x05, 0, 1}, 6);                      /* LINT1, every CPU */
    entry((uint8_t[]){4, 6, 1, 0, 0, 0}, 6);                            /* LINT0 of UID 1 */
    entry((uint8_t[]){5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0}, 12);  /* LAPIC at 0x1fee00000 */
    uint8_t x2[16] = {9, 16};
    put_u32(x2 + 4, 300); /* x2APIC id */
    put_u32(x2 + 8, 1);
    put_u32(x2 + 12, 77); /* UID */
    entry(x2, 16);
    entry((uint8_t[]){0x0a, 12, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0}, 12);
    entry((uint8_t[]){0x0a, 12, 0, 0, 77, 0, 0, 0, 0, 0, 0, 0}, 12);
    entry((uint8_t[]){0x0b, 4, 0, 0}, 4); /* a GIC CPU interface, in a PC's MADT: not for keel */
    struct machine *m = madt_parse();
    const struct acpi_madt *madt = &m->info.madt;

    assert_true(madt->present);
    assert_true(madt->pcat_compat);
    assert_true(madt->lapic_address_overridden);
    assert_int_equal(madt->lapic_address, 0x1fee00000ULL);
    assert_int_equal(madt->cpu_count, 4);
    assert_int_equal(madt->cpus_disabled, 1);
    assert_int_equal(madt->cpus[1].apic_id, 2);
    assert_int_equal(madt->cpus[1].uid, 1);
    assert_true(madt->cpus[1].enabled);
    assert_false(madt->cpus[2].enabled);
    assert_int_equal(madt->cpus[3].apic_id, 300);
    assert_int_equal(madt->cpus[3].uid, 77);
    assert_true(madt->cpus[3].x2apic);
    assert_false(madt->cpus[0].x2apic);
    assert_int_equal(madt->ioapic_count, 1);
    assert_int_equal(madt->ioapics[0].id, 7);
    assert_int_equal(madt->ioapics[0].address, 0xfec00000);
    assert_int_equal(madt->ioapics[0].gsi_base, 24);
    assert_int_equal(madt->override_count, 4);
    assert_int_equal(madt->overrides[0].source, 0);
    assert_int_equal(madt->overrides[0].gsi, 2);
    assert_int_equal(madt->overrides[0].polarity, ACPI_POLARITY_BUS_DEFAULT);
    assert_int_equal(madt->overrides[0].trigger, ACPI_TRIGGER_BUS_DEFAULT);
    assert_int_equal(madt->overrides[1].polarity, ACPI_POLARITY_HIGH);
    assert_int_equal(madt->overrides[1].trigger, ACPI_TRIGGER_LEVEL);
    assert_int_equal(madt->overrides[2].polarity, ACPI_POLARITY_LOW);
    assert_int_equal(madt->overrides[2].trigger, ACPI_TRIGGER_LEVEL);
    assert_int_equal(madt->overrides[3].polarity, ACPI_POLARITY_RESERVED);
    assert_int_equal(madt->overrides[3].trigger, ACPI_TRIGGER_EDGE);
    assert_string_equal(acpi_polarity_name(madt->overrides[2].polarity), "low");
    assert_string_equal(acpi_trigger_name(madt->overrides[2].trigger), "level");
    assert_int_equal(madt->nmi_source_count, 1);
    assert_int_equal(madt->nmi_sources[0].gsi, 23);
    assert_int_equal(madt->nmi_sources[0].polarity, ACPI_POLARITY_HIGH);
    assert_int_equal(madt->nmi_sources[0].trigger, ACPI_TRIGGER_EDGE);
    assert_int_equal(madt->lapic_nmi_count, 4);
    assert_true(madt->lapic_nmis[0].all_cpus);
    assert_int_equal(madt->lapic_nmis[0].lint, 1);
    assert_int_equal(madt->lapic_nmis[0].trigger, ACPI_TRIGGER_EDGE);
    assert_false(madt->lapic_nmis[1].all_cpus);
    assert_int_equal(madt->lapic_nmis[1].uid, 1);
    assert_int_equal(madt->lapic_nmis[1].lint, 0);
    assert_true(madt->lapic_nmis[2].all_cpus);
    assert_false(madt->lapic_nmis[3].all_cpus);
    assert_int_equal(madt->lapic_nmis[3].uid, 77);
    assert_int_equal(madt->other_entries, 1);
    assert_int_equal(m->info.problem_count, 1); /* FADT not listed */
    machine_free(m);
}

/* An APIC id listed both as a local APIC and as an x2APIC is one CPU. */
static void test_duplicate_cpu(void **state)
{
    (void)state;
    local_apic(0, 5, 1);
    uint8_t x2[16] = {9, 16};
    put_u32(x2 + 4, 5);
    put_u32(x2 + 8, 1);
    entry(x2, 16);
    struct machine *m = madt_parse();
    assert_int_equal(m->info.madt.cpu_count, 1);
    assert_int_equal(m->info.madt.cpu_duplicates, 1);
    machine_free(m);
}

/* Length 0 would never advance, length 1 would read the next entry's type as this one's field. */
static void test_entry_length_zero_and_one(void **state)
{
    (void)state;
    for (uint8_t length = 0; length <= 2; length++) {
        local_apic(0, 0, 1);
        entry((uint8_t[]){0x7f, length, 0x7e, 2}, 4);
        struct machine *m = madt_parse();
        if (length < 2) {
            char text[64];
            snprintf(text, sizeof(text), "MADT: entry at offset 52 has length %u", length);
            assert_false(m->info.madt.present);
            assert_int_equal(m->info.madt.cpu_count, 0); /* nothing half-read is left */
            assert_problem(&m->info, text);
        } else {
            /* Length 2: an unknown entry with nothing in it, then another one. */
            assert_true(m->info.madt.present);
            assert_int_equal(m->info.madt.other_entries, 2);
        }
        machine_free(m);
    }
}

/* The last entry ends exactly at the table's end; then one byte past it. */
static void test_entry_against_table_end(void **state)
{
    (void)state;
    local_apic(0, 0, 1);
    local_apic(1, 1, 1);
    struct machine *m = madt_parse_length(MADT_ENTRIES + 16, 1);
    assert_true(m->info.madt.present);
    assert_int_equal(m->info.madt.cpu_count, 2);
    machine_free(m);

    local_apic(0, 0, 1);
    local_apic(1, 1, 1);
    m = madt_parse_length(MADT_ENTRIES + 15, 1);
    assert_false(m->info.madt.present);
    assert_problem(&m->info, "MADT: entry at offset 52 has length 8, 7 bytes are left");
    machine_free(m);

    /* One stray byte after the last entry: too short for any entry's type and length. */
    local_apic(0, 0, 1);
    entry((uint8_t[]){0}, 1);
    m = madt_parse();
    assert_false(m->info.madt.present);
    assert_problem(&m->info, "MADT: 1 stray bytes at offset 52");
    machine_free(m);
}

/* Each known type's shortest length passes; one byte less is refused. */
static void test_entry_minimum_lengths(void **state)
{
    (void)state;
    static const struct {
        uint8_t type, length;
    } types[] = {{0, 8}, {1, 12}, {2, 10}, {3, 8}, {4, 6}, {5, 12}, {9, 16}, {0x0a, 12}};

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        for (uint8_t length = types[i].length - 1; length <= types[i].length; length++) {
            uint8_t e[32] = {types[i].type, length};
            if (types[i].type == 5)
                e[6] = 0xe0; /* a non-zero LAPIC address */
            entry(e, length);
            struct machine *m = madt_parse();
            if (length < types[i].length) {
                char text[64];
                snprintf(text, sizeof(text), "type %u entry at offset 44 has length %u, below %u",
                         types[i].type, length, types[i].length);
                assert_false(m->info.madt.present);
                assert_problem(&m->info, text);
            } else if (!m->info.madt.present) {
                fail_msg("type %u of length %u refused:\n%s", types[i].type, length,
                         problem_list(&m->info));
            }
            machine_free(m);
        }
    }
    /* Longer than keel knows (a later ACPI revision's fields): read, and the walk goes on. */
    entry((uint8_t[]){1, 14, 3, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0, 0xaa, 0xbb}, 14);
    local_apic(0, 9, 1);
    struct machine *m = madt_parse();
    assert_true(m->info.madt.present);
    assert_int_equal(m->info.madt.ioapics[0].id, 3);
    assert_int_equal(m->info.madt.cpus[0].apic_id, 9);
    machine_free(m);
}

/* One more CPU than ACPI_MAX_CPUS (x2APIC ids, as a big machine would list them). */
static void test_cpu_capacity(void **state)
{
    (void)state;
    for (uint32_t id = 0; id <= ACPI_MAX_CPUS; id++) {
        uint8_t x2[16] = {9, 16};
        put_u32(x2 + 4, id);
        put_u32(x2 + 8, 1);
        put_u32(x2 + 12, id);
        entry(x2, 16);
    }
    struct machine *m = madt_parse();
    assert_true(m->info.madt.present);
    assert_int_equal(m->info.madt.cpu_count, ACPI_MAX_CPUS);
    assert_int_equal(m->info.madt.cpus_skipped, 1);
    assert_problem(&m->info, "MADT: 1 more CPUs than the 256 kept");
    machine_free(m);

    for (uint32_t id = 0; id < ACPI_MAX_CPUS; id++)
        local_apic((uint8_t)id, (uint8_t)id, 1);
    m = madt_parse();
    assert_int_equal(m->info.madt.cpus_skipped, 0);
    assert_false(has_problem(&m->info, "more CPUs"));
    machine_free(m);
}

static void test_other_capacities(void **state)
{
    (void)state;
    for (int i = 0; i <= ACPI_MAX_IOAPICS; i++)
        entry((uint8_t[]){1, 12, (uint8_t)i, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0}, 12);
    for (int i = 0; i <= ACPI_MAX_OVERRIDES; i++)
        entry((uint8_t[]){2, 10, 0, (uint8_t)i, (uint8_t)i, 0, 0, 0, 0, 0}, 10);
    for (int i = 0; i <= ACPI_MAX_NMI_SOURCES; i++)
        entry((uint8_t[]){3, 8, 0, 0, (uint8_t)i, 0, 0, 0}, 8);
    for (int i = 0; i <= ACPI_MAX_LAPIC_NMIS; i++)
        entry((uint8_t[]){4, 6, (uint8_t)i, 0, 0, 1}, 6);
    struct machine *m = madt_parse();
    const struct acpi_madt *madt = &m->info.madt;
    assert_int_equal(madt->ioapic_count, ACPI_MAX_IOAPICS);
    assert_int_equal(madt->ioapics_skipped, 1);
    assert_int_equal(madt->override_count, ACPI_MAX_OVERRIDES);
    assert_int_equal(madt->overrides_skipped, 1);
    assert_int_equal(madt->nmi_source_count, ACPI_MAX_NMI_SOURCES);
    assert_int_equal(madt->nmi_sources_skipped, 1);
    assert_int_equal(madt->lapic_nmi_count, ACPI_MAX_LAPIC_NMIS);
    assert_int_equal(madt->lapic_nmis_skipped, 1);
    assert_problem(&m->info, "MADT: 1 more I/O APICs than the 16 kept");
    assert_problem(&m->info, "MADT: 1 more interrupt overrides than the 32 kept");
    assert_problem(&m->info, "MADT: 1 more NMI sources than the 8 kept");
    assert_problem(&m->info, "MADT: 1 more local APIC NMIs than the 64 kept");
    machine_free(m);
}

/*
 * The boot facts of a MADT like a real PC's: only the SCI's override (IRQ 9, level, active low),
 * two I/O APICs, a CPU that can only be hot-added; no FADT, no HPET.
 */
static void test_facts_of_a_pc_like_madt(void **state)
{
    (void)state;
    local_apic(0, 0, 1);
    local_apic(1, 2, 2);
    entry((uint8_t[]){1, 12, 2, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0}, 12);
    entry((uint8_t[]){1, 12, 3, 0, 0, 0x10, 0xc0, 0xfe, 24, 0, 0, 0}, 12);
    entry((uint8_t[]){2, 10, 0, 9, 9, 0, 0, 0, 0x0f, 0}, 10);
    struct machine *m = madt_parse();
    console_stub_reset();
    acpi_print_facts(&m->info, 0xf0000);
    assert_string_equal(console_stub_output,
                        "ACPI 1.0 (RSDP rev 0 at 0xf0000), RSDT 0x7fe0000: APIC\n"
                        "  2 CPUs (APIC ids 0 2?), I/O APIC 0xfec00000, I/O APIC 0xfec01000 "
                        "(GSI 24),\n"
                        "  no HPET\n"
                        "  level/low 9; no FADT: no PM timer, no reset register\n");
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_madt),
        cmocka_unit_test(test_every_entry_type),
        cmocka_unit_test(test_duplicate_cpu),
        cmocka_unit_test(test_entry_length_zero_and_one),
        cmocka_unit_test(test_entry_against_table_end),
        cmocka_unit_test(test_entry_minimum_lengths),
        cmocka_unit_test(test_cpu_capacity),
        cmocka_unit_test(test_other_capacities),
        cmocka_unit_test(test_facts_of_a_pc_like_madt),
    };

    return cmocka_run_group_tests_name("acpi_madt", tests, NULL, NULL);
}
