/*
 * The FADT (ACPI 6.5 5.2.9), HPET (IA-PC HPET spec 1.0a 3.2.4) and MCFG (PCI Firmware spec 3.0
 * 4.1.2) parsers over hand-made tables: each field read only when the table's length covers it,
 * at the boundary of each length.
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

/* FADT offsets (ACPI 6.5 5.2.9), as the test lays them out. */
#define SCI_INT      46
#define PM_TMR_BLK   76
#define PM_TMR_LEN   91
#define BOOT_ARCH    109
#define FLAGS        112
#define RESET_REG    116
#define RESET_VALUE  128
#define X_PM_TMR_BLK 208
#define FADT_V6_SIZE 276

static uint8_t fadt[FADT_V6_SIZE];

/* A FADT like QEMU's: SCI 9, PM timer at port 0x608, an 8042, reset through port 0xcf9. */
static void fadt_reset(void)
{
    memset(fadt, 0, sizeof(fadt));
    put_u16(fadt + SCI_INT, 9);
    put_u32(fadt + PM_TMR_BLK, 0x608);
    fadt[PM_TMR_LEN] = 4;
    put_u16(fadt + BOOT_ARCH, ACPI_BOOT_ARCH_8042);
    put_u32(fadt + FLAGS, ACPI_FADT_RESET_REG_SUP);
    fadt[RESET_REG] = ACPI_SPACE_IO;
    fadt[RESET_REG + 1] = 8;
    put_u64(fadt + RESET_REG + 4, 0xcf9);
    fadt[RESET_VALUE] = 0x0f;
}

static struct machine *fadt_parse(uint32_t length, uint8_t revision)
{
    struct machine *m = machine_new(1);
    uint8_t *t = add_table(m, TABLE_AT(0), "FACP", length, length, revision);
    memcpy(t + 36, fadt + 36, length - 36);
    fix_checksum(t, length);
    machine_parse(m);
    return m;
}

static void test_fadt_length(void **state)
{
    (void)state;
    fadt_reset();
    struct machine *m = fadt_parse(115, 1);
    assert_false(m->info.fadt.present);
    assert_problem(&m->info, "FADT: length 115 ends before the flags at offset 112");
    machine_free(m);

    /* ACPI 1.0's 116 bytes: no reset register, no boot flags (revision 1), a PM timer. */
    m = fadt_parse(116, 1);
    const struct acpi_fadt *f = &m->info.fadt;
    assert_true(f->present);
    assert_int_equal(f->revision, 1);
    assert_int_equal(f->sci_interrupt, 9);
    assert_false(f->boot_arch_valid);
    assert_false(f->has_reset_register);
    assert_true(f->has_pm_timer);
    assert_int_equal(f->pm_timer.space, ACPI_SPACE_IO);
    assert_int_equal(f->pm_timer.address, 0x608);
    assert_int_equal(f->pm_timer_bits, 24);
    machine_free(m);
}

static void test_boot_arch_needs_revision_2(void **state)
{
    (void)state;
    fadt_reset();
    struct machine *m = fadt_parse(116, 2);
    assert_true(m->info.fadt.boot_arch_valid);
    assert_int_equal(m->info.fadt.boot_arch, ACPI_BOOT_ARCH_8042);
    machine_free(m);
}

/* RESET_VALUE is byte 128: a table of 129 bytes has it, one of 128 does not. */
static void test_reset_register(void **state)
{
    (void)state;
    fadt_reset();
    struct machine *m = fadt_parse(129, 3);
    assert_true(m->info.fadt.has_reset_register);
    assert_int_equal(m->info.fadt.reset_register.space, ACPI_SPACE_IO);
    assert_int_equal(m->info.fadt.reset_register.bit_width, 8);
    assert_int_equal(m->info.fadt.reset_register.address, 0xcf9);
    assert_int_equal(m->info.fadt.reset_value, 0x0f);
    machine_free(m);

    m = fadt_parse(128, 3);
    assert_true(m->info.fadt.present);
    assert_false(m->info.fadt.has_reset_register);
    machine_free(m);

    put_u32(fadt + FLAGS, 0); /* RESET_REG_SUP clear: the register is not to be used */
    m = fadt_parse(FADT_V6_SIZE, 6);
    assert_false(m->info.fadt.has_reset_register);
    assert_int_equal(m->info.problem_count, 1); /* MADT not listed */
    machine_free(m);

    fadt_reset();
    fadt[RESET_REG] = 3; /* embedded controller space: not for a reset */
    m = fadt_parse(FADT_V6_SIZE, 6);
    assert_false(m->info.fadt.has_reset_register);
    assert_problem(&m->info, "FADT: RESET_REG_SUP set, but RESET_REG is 0xcf9 in space 3");
    machine_free(m);

    fadt_reset();
    put_u64(fadt + RESET_REG + 4, 0);
    m = fadt_parse(FADT_V6_SIZE, 6);
    assert_false(m->info.fadt.has_reset_register);
    assert_problem(&m->info, "RESET_REG is 0x0 in space 1");
    machine_free(m);
}

/* X_PM_TMR_BLK ends at byte 220: used from a 220-byte table, not from a 219-byte one. */
static void test_extended_pm_timer(void **state)
{
    (void)state;
    fadt_reset();
    fadt[X_PM_TMR_BLK] = ACPI_SPACE_MEMORY;
    fadt[X_PM_TMR_BLK + 1] = 32;
    put_u64(fadt + X_PM_TMR_BLK + 4, 0xfed80008);
    struct machine *m = fadt_parse(220, 3);
    assert_true(m->info.fadt.has_pm_timer);
    assert_int_equal(m->info.fadt.pm_timer.space, ACPI_SPACE_MEMORY);
    assert_int_equal(m->info.fadt.pm_timer.address, 0xfed80008);
    machine_free(m);

    m = fadt_parse(219, 3);
    assert_int_equal(m->info.fadt.pm_timer.space, ACPI_SPACE_IO);
    assert_int_equal(m->info.fadt.pm_timer.address, 0x608);
    machine_free(m);

    fadt[X_PM_TMR_BLK] = ACPI_SPACE_PCI_CONFIG;
    m = fadt_parse(220, 3);
    assert_problem(&m->info, "FADT: X_PM_TMR_BLK in address space 2, using PM_TMR_BLK");
    assert_int_equal(m->info.fadt.pm_timer.address, 0x608);
    machine_free(m);

    put_u64(fadt + X_PM_TMR_BLK + 4, 0); /* X_ field present but zero: the legacy one counts */
    m = fadt_parse(220, 3);
    assert_int_equal(m->info.fadt.pm_timer.address, 0x608);
    assert_false(has_problem(&m->info, "X_PM_TMR_BLK"));
    machine_free(m);
}

static void test_pm_timer_variants(void **state)
{
    (void)state;
    fadt_reset();
    put_u32(fadt + FLAGS, ACPI_FADT_TMR_VAL_EXT);
    struct machine *m = fadt_parse(116, 1);
    assert_int_equal(m->info.fadt.pm_timer_bits, 32);
    machine_free(m);

    fadt_reset();
    fadt[PM_TMR_LEN] = 3;
    m = fadt_parse(116, 1);
    assert_false(m->info.fadt.has_pm_timer);
    assert_problem(&m->info, "FADT: PM_TMR_LEN is 3, not 4: no PM timer");
    machine_free(m);

    fadt_reset();
    put_u32(fadt + PM_TMR_BLK, 0);
    m = fadt_parse(116, 1);
    assert_false(m->info.fadt.has_pm_timer);
    assert_false(has_problem(&m->info, "PM_TMR"));
    machine_free(m);

    fadt_reset();
    put_u32(fadt + FLAGS, ACPI_FADT_HW_REDUCED);
    m = fadt_parse(FADT_V6_SIZE, 6);
    assert_false(m->info.fadt.has_pm_timer);
    machine_free(m);
}

static struct machine *hpet_parse(uint32_t length, uint8_t space, uint64_t address)
{
    struct machine *m = machine_new(1);
    uint8_t *t = add_table(m, TABLE_AT(0), "HPET", length, length, 1);
    if (length >= 56) {
        put_u32(t + 36, 0x8086a201);
        t[40] = space;
        t[41] = 64;
        put_u64(t + 44, address);
        t[52] = 0;
        put_u16(t + 53, 128);
    }
    fix_checksum(t, length);
    machine_parse(m);
    return m;
}

static void test_hpet(void **state)
{
    (void)state;
    struct machine *m = hpet_parse(56, ACPI_SPACE_MEMORY, 0xfed00000);
    const struct acpi_hpet *h = &m->info.hpet;
    assert_true(h->present);
    assert_int_equal(h->base.address, 0xfed00000);
    assert_int_equal(h->block_id, 0x8086a201);
    assert_int_equal(h->comparators, 3);
    assert_true(h->counter_64bit);
    assert_true(h->legacy_replacement);
    assert_int_equal(h->min_tick, 128);
    machine_free(m);

    m = hpet_parse(55, ACPI_SPACE_MEMORY, 0xfed00000);
    assert_false(m->info.hpet.present);
    assert_problem(&m->info, "HPET: length 55 is shorter than 56");
    machine_free(m);

    m = hpet_parse(56, ACPI_SPACE_IO, 0xfed00000);
    assert_false(m->info.hpet.present);
    assert_problem(&m->info, "HPET: base address 0xfed00000 in address space 1, not memory");
    machine_free(m);

    m = hpet_parse(56, ACPI_SPACE_MEMORY, 0);
    assert_false(m->info.hpet.present);
    machine_free(m);
}

/* An MCFG of length bytes; entries beyond the first 44 are 16-byte allocations, buses 0-255. */
static struct machine *mcfg_parse(uint32_t length)
{
    struct machine *m = machine_new(1);
    uint8_t *t = add_table(m, TABLE_AT(0), "MCFG", length, length, 1);
    for (uint32_t at = 44; at + 16 <= length; at += 16) {
        put_u64(t + at, 0xb0000000 + (uint64_t)(at - 44) / 16 * 0x10000000);
        put_u16(t + at + 8, (uint16_t)((at - 44) / 16));
        t[at + 11] = 255;
    }
    fix_checksum(t, length);
    machine_parse(m);
    return m;
}

static void test_mcfg(void **state)
{
    (void)state;
    static const struct {
        uint32_t length;
        bool present;
        size_t ranges;
    } cases[] = {{43, false, 0}, {44, true, 0}, {59, false, 0}, {60, true, 1}, {61, false, 0}};

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct machine *m = mcfg_parse(cases[i].length);
        if (m->info.mcfg.present != cases[i].present)
            fail_msg("MCFG of %u bytes: present %d:\n%s", cases[i].length, m->info.mcfg.present,
                     problem_list(&m->info));
        assert_int_equal(m->info.mcfg.range_count, cases[i].ranges);
        if (!cases[i].present)
            assert_problem(&m->info, "MCFG: length");
        machine_free(m);
    }
    struct machine *m = mcfg_parse(60);
    assert_int_equal(m->info.mcfg.ranges[0].base, 0xb0000000);
    assert_int_equal(m->info.mcfg.ranges[0].bus_start, 0);
    assert_int_equal(m->info.mcfg.ranges[0].bus_end, 255);
    machine_free(m);

    m = mcfg_parse(44 + 16 * (ACPI_MAX_MCFG_RANGES + 1));
    assert_int_equal(m->info.mcfg.range_count, ACPI_MAX_MCFG_RANGES);
    assert_int_equal(m->info.mcfg.ranges_skipped, 1);
    assert_int_equal(m->info.mcfg.ranges[7].segment, 7);
    assert_problem(&m->info, "MCFG: 1 more ranges than the 8 kept");
    machine_free(m);
}

static void test_mcfg_bus_range(void **state)
{
    (void)state;
    struct machine *m = machine_new(1);
    uint8_t *t = add_table(m, TABLE_AT(0), "MCFG", 60, 60, 1);
    t[44 + 10] = 8;
    t[44 + 11] = 7;
    fix_checksum(t, 60);
    machine_parse(m);
    assert_false(m->info.mcfg.present);
    assert_problem(&m->info, "MCFG: entry at offset 44 has buses 8 to 7");
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fadt_length),
        cmocka_unit_test(test_boot_arch_needs_revision_2),
        cmocka_unit_test(test_reset_register),
        cmocka_unit_test(test_extended_pm_timer),
        cmocka_unit_test(test_pm_timer_variants),
        cmocka_unit_test(test_hpet),
        cmocka_unit_test(test_mcfg),
        cmocka_unit_test(test_mcfg_bus_range),
    };

    return cmocka_run_group_tests_name("acpi_fadt", tests, NULL, NULL);
}
