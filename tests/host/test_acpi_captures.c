/*
 * The ACPI parser over tables real firmware built: QEMU's pc and q35 machines under SeaBIOS and
 * under OVMF, captured by tests/fuzz/capture-acpi into tests/fuzz/corpus/acpi, and the Bochs
 * emulator's own BIOS, captured by tests/fuzz/capture-acpi-bochs (keel.acpi_dump over COM1).
 * Each must decode to what its firmware is known to provide. Then every bit of every table is
 * flipped in turn, and each table is cut one byte short: the damaged table must be refused (and
 * only it), without a read outside the fake memory. Last, the boot facts printed from one capture.
 * Run from the repository root, as tests/run does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/acpi.h"
#include "tests/host/acpi_fake_memory.h"
#include "tests/host/console_stub.h"

#define CORPUS "tests/fuzz/corpus/acpi/"

struct expected {
    const char *file;
    uint8_t revision;
    bool uses_xsdt;
    const char *tables; /* signatures, in the order the root lists them */
    size_t cpus;
    uint64_t pm_timer_port;
    bool boot_arch_valid;
    bool reset; /* port 0xcf9, value 0x0f */
    bool mcfg;  /* 0xb0000000, buses 0-255 */
};

/* What QEMU 7.2 builds (hw/i386/acpi-build.c), and what OVMF changes: it moves the PM base. */
static const struct expected captures[] = {
    {"qemu_pc_seabios.bin", 0, false, "FACP APIC HPET WAET", 4, 0x608, false, false, false},
    {"qemu_q35_seabios.bin", 0, false, "FACP APIC HPET MCFG WAET", 2, 0x608, true, true, true},
    {"qemu_pc_ovmf.bin", 2, true, "FACP APIC HPET WAET BGRT", 2, 0xb008, false, false, false},
    {"qemu_q35_ovmf.bin", 2, true, "FACP APIC HPET MCFG WAET BGRT", 2, 0x608, true, true, true},
};

/* Bochs 2.7's BIOS (bios/rombios32.c): an ACPI 1.0 set, no WAET, an SSDT for its CPUs. */
static const struct expected bochs = {"bochs.bin", 0,     false, "FACP APIC SSDT HPET", 1, 0xb008,
                                      false,       false, false};

/* Every capture, for the damage tests. */
static const struct expected *const all_captures[] = {&captures[0], &captures[1], &captures[2],
                                                      &captures[3], &bochs};
#define CAPTURE_COUNT (sizeof(all_captures) / sizeof(all_captures[0]))
_Static_assert(CAPTURE_COUNT == sizeof(captures) / sizeof(captures[0]) + 1,
               "all_captures lists each capture");

static struct acpi_info info;

static void load(const char *file, struct fake_memory *memory)
{
    char path[256];
    snprintf(path, sizeof(path), CORPUS "%s", file);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s is missing: run tests/fuzz/capture-acpi (capture-acpi-bochs for bochs.bin)",
                 path);
    static uint8_t data[1 << 16];
    size_t size = fread(data, 1, sizeof(data), f);
    fclose(f);
    memset(memory, 0, sizeof(*memory));
    if (fake_memory_load(memory, data, size) < 3)
        fail_msg("%s holds fewer than 3 records", path);
}

static void parse(struct fake_memory *memory)
{
    struct acpi_memory accessor = fake_memory_accessor(memory);
    acpi_parse(&accessor, memory->blocks[0].bytes, memory->blocks[0].length, &info);
}

static void check_capture(const struct expected *e)
{
    struct fake_memory memory;
    char tables[128] = "";

    load(e->file, &memory);
    parse(&memory);
    for (size_t i = 0; i < info.problem_count; i++)
        fail_msg("%s: problem: %s", e->file, info.problems[i]);
    assert_true(info.present);
    assert_int_equal(info.revision, e->revision);
    assert_int_equal(info.uses_xsdt, e->uses_xsdt);
    assert_string_equal(info.oem_id, "BOCHS ");
    for (size_t i = 0; i < info.table_count; i++) {
        assert_true(info.tables[i].valid);
        snprintf(tables + strlen(tables), sizeof(tables) - strlen(tables), "%s%s", i ? " " : "",
                 info.tables[i].signature);
    }
    assert_string_equal(tables, e->tables);

    const struct acpi_madt *madt = &info.madt;
    assert_true(madt->present);
    assert_int_equal(madt->lapic_address, 0xfee00000);
    assert_true(madt->pcat_compat);
    assert_int_equal(madt->cpu_count, e->cpus);
    for (size_t i = 0; i < madt->cpu_count; i++) {
        assert_int_equal(madt->cpus[i].apic_id, i);
        assert_true(madt->cpus[i].enabled);
    }
    assert_int_equal(madt->ioapic_count, 1);
    assert_int_equal(madt->ioapics[0].address, 0xfec00000);
    assert_int_equal(madt->ioapics[0].gsi_base, 0);
    /* The PIT's IRQ 0 arrives at GSI 2; the PCI interrupts are level-triggered, active high. */
    assert_int_equal(madt->override_count, 5);
    assert_int_equal(madt->overrides[0].source, 0);
    assert_int_equal(madt->overrides[0].gsi, 2);
    assert_int_equal(madt->overrides[0].trigger, ACPI_TRIGGER_BUS_DEFAULT);
    static const uint8_t level_irqs[] = {5, 9, 10, 11};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(madt->overrides[i + 1].source, level_irqs[i]);
        assert_int_equal(madt->overrides[i + 1].gsi, level_irqs[i]);
        assert_int_equal(madt->overrides[i + 1].trigger, ACPI_TRIGGER_LEVEL);
        assert_int_equal(madt->overrides[i + 1].polarity, ACPI_POLARITY_HIGH);
    }
    assert_int_equal(madt->lapic_nmi_count, 1);
    assert_true(madt->lapic_nmis[0].all_cpus);
    assert_int_equal(madt->lapic_nmis[0].lint, 1);

    const struct acpi_fadt *fadt = &info.fadt;
    assert_true(fadt->present);
    assert_int_equal(fadt->sci_interrupt, 9);
    assert_true(fadt->has_pm_timer);
    assert_int_equal(fadt->pm_timer.space, ACPI_SPACE_IO);
    assert_int_equal(fadt->pm_timer.address, e->pm_timer_port);
    assert_int_equal(fadt->pm_timer_bits, 24);
    assert_int_equal(fadt->boot_arch_valid, e->boot_arch_valid);
    if (e->boot_arch_valid)
        assert_int_equal(fadt->boot_arch, ACPI_BOOT_ARCH_8042);
    assert_int_equal(fadt->has_reset_register, e->reset);
    if (e->reset) {
        assert_int_equal(fadt->reset_register.space, ACPI_SPACE_IO);
        assert_int_equal(fadt->reset_register.address, 0xcf9);
        assert_int_equal(fadt->reset_value, 0x0f);
    }

    assert_true(info.hpet.present);
    assert_int_equal(info.hpet.base.address, 0xfed00000);
    assert_int_equal(info.hpet.comparators, 3);
    assert_int_equal(info.mcfg.present, e->mcfg);
    if (e->mcfg) {
        assert_int_equal(info.mcfg.range_count, 1);
        assert_int_equal(info.mcfg.ranges[0].base, 0xb0000000);
        assert_int_equal(info.mcfg.ranges[0].bus_end, 255);
    }
    fake_memory_free(&memory);
}

static void test_captures_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(captures) / sizeof(captures[0]); i++)
        check_capture(&captures[i]);
}

/*
 * Bochs's BIOS differs from QEMU's SeaBIOS in nearly every detail: one CPU, an I/O APIC with id
 * 1, one override (the PIT's), no local APIC NMI entry, a revision 1 FADT (so no boot
 * architecture flags and no reset register) with the PM timer at 0xb008, and "BOCHS " for OEM.
 */
static void test_bochs_decodes(void **state)
{
    (void)state;
    struct fake_memory memory;
    char tables[128] = "";

    load(bochs.file, &memory);
    parse(&memory);
    for (size_t i = 0; i < info.problem_count; i++)
        fail_msg("%s: problem: %s", bochs.file, info.problems[i]);
    assert_true(info.present);
    assert_int_equal(info.revision, 0);
    assert_false(info.uses_xsdt);
    assert_int_equal(info.root_address, 0x7ff0000);
    assert_string_equal(info.oem_id, "BOCHS ");
    for (size_t i = 0; i < info.table_count; i++) {
        assert_true(info.tables[i].valid);
        snprintf(tables + strlen(tables), sizeof(tables) - strlen(tables), "%s%s", i ? " " : "",
                 info.tables[i].signature);
    }
    assert_string_equal(tables, bochs.tables);

    const struct acpi_madt *madt = &info.madt;
    assert_true(madt->present);
    assert_int_equal(madt->lapic_address, 0xfee00000);
    assert_true(madt->pcat_compat);
    assert_int_equal(madt->cpu_count, 1);
    assert_int_equal(madt->cpus[0].apic_id, 0);
    assert_true(madt->cpus[0].enabled);
    assert_false(madt->cpus[0].x2apic);
    assert_int_equal(madt->ioapic_count, 1);
    assert_int_equal(madt->ioapics[0].id, 1);
    assert_int_equal(madt->ioapics[0].address, 0xfec00000);
    assert_int_equal(madt->ioapics[0].gsi_base, 0);
    assert_int_equal(madt->override_count, 1);
    assert_int_equal(madt->overrides[0].source, 0);
    assert_int_equal(madt->overrides[0].gsi, 2);
    assert_int_equal(madt->overrides[0].polarity, ACPI_POLARITY_BUS_DEFAULT);
    assert_int_equal(madt->overrides[0].trigger, ACPI_TRIGGER_BUS_DEFAULT);
    assert_int_equal(madt->nmi_source_count, 0);
    assert_int_equal(madt->lapic_nmi_count, 0);
    assert_int_equal(madt->other_entries, 0);

    const struct acpi_fadt *fadt = &info.fadt;
    assert_true(fadt->present);
    assert_int_equal(fadt->revision, 1);
    assert_int_equal(fadt->sci_interrupt, 9);
    assert_true(fadt->has_pm_timer);
    assert_int_equal(fadt->pm_timer.space, ACPI_SPACE_IO);
    assert_int_equal(fadt->pm_timer.address, 0xb008);
    assert_int_equal(fadt->pm_timer_bits, 24);
    assert_false(fadt->boot_arch_valid);
    assert_false(fadt->has_reset_register);

    assert_true(info.hpet.present);
    assert_int_equal(info.hpet.base.address, 0xfed00000);
    assert_int_equal(info.hpet.comparators, 3);
    assert_false(info.mcfg.present);

    console_stub_reset();
    acpi_print_facts(&info, 0x100400);
    assert_string_equal(console_stub_output,
                        "ACPI 1.0 (RSDP rev 0 at 0x100400), RSDT 0x7ff0000: FACP APIC SSDT HPET\n"
                        "  1 CPU (APIC ids 0), I/O APIC 0xfec00000, HPET 0xfed00000\n"
                        "  IRQ 0->GSI 2; PM timer port 0xb008; no reset register\n");
    fake_memory_free(&memory);
}

/* Whether the table kind with this signature came through; false for kinds keel does not read. */
static bool kind_present(const char *signature)
{
    if (memcmp(signature, "APIC", 4) == 0)
        return info.madt.present;
    if (memcmp(signature, "FACP", 4) == 0)
        return info.fadt.present;
    if (memcmp(signature, "HPET", 4) == 0)
        return info.hpet.present;
    if (memcmp(signature, "MCFG", 4) == 0)
        return info.mcfg.present;
    return false;
}

/*
 * After damage to block index (signature: what it held before), what must and must not have
 * come through. rsdp_low: the damage is in the RSDP's first 20 bytes.
 */
static void check_damage(const struct expected *e, size_t index, const char *signature,
                         bool rsdp_low, const char *what)
{
    if (index == 0) {
        /* The first 20 bytes carry the RSDT; past them, only the XSDT is at stake. */
        if (rsdp_low)
            assert_false(info.present);
        else
            assert_false(info.uses_xsdt);
    } else if (strcmp(signature, "RSDT") == 0) {
        if (e->uses_xsdt)
            assert_true(info.uses_xsdt && info.madt.present);
        else
            assert_int_equal(info.root_address, 0);
    } else if (strcmp(signature, "XSDT") == 0) {
        assert_false(info.uses_xsdt);
        assert_true(info.madt.present); /* through the RSDT */
    } else {
        if (kind_present(signature))
            fail_msg("%s: %s %s: still used", e->file, what, signature);
        /* The others are unharmed. */
        static const char *const kinds[] = {"APIC", "FACP", "HPET"};
        for (size_t k = 0; k < 3; k++)
            if (strcmp(kinds[k], signature) != 0 && !kind_present(kinds[k]))
                fail_msg("%s: %s %s: lost %s too", e->file, what, signature, kinds[k]);
    }
}

static void block_signature(const struct fake_block *b, size_t index, char signature[5])
{
    memcpy(signature, index == 0 ? "RSDP" : (const char *)b->bytes, 4);
    signature[4] = '\0';
}

static void test_every_bit_flipped(void **state)
{
    (void)state;
    for (size_t c = 0; c < CAPTURE_COUNT; c++) {
        const struct expected *e = all_captures[c];
        struct fake_memory memory;
        load(e->file, &memory);
        for (size_t index = 0; index < memory.count; index++) {
            struct fake_block *b = &memory.blocks[index];
            char signature[5];
            block_signature(b, index, signature);
            for (uint32_t bit = 0; bit < b->length * 8; bit++) {
                uint8_t mask = (uint8_t)(1u << bit % 8);
                b->bytes[bit / 8] ^= mask;
                parse(&memory);
                check_damage(e, index, signature, bit < 20 * 8, "a bit flipped in");
                b->bytes[bit / 8] ^= mask;
            }
        }
        fake_memory_free(&memory);
    }
}

static void test_every_table_cut_short(void **state)
{
    (void)state;
    for (size_t c = 0; c < CAPTURE_COUNT; c++) {
        const struct expected *e = all_captures[c];
        struct fake_memory memory;
        load(e->file, &memory);
        size_t count = memory.count;
        fake_memory_free(&memory);
        for (size_t index = 1; index < count; index++) {
            load(e->file, &memory);
            struct fake_block *b = &memory.blocks[index];
            char signature[5];
            block_signature(b, index, signature);
            fake_memory_truncate(&memory, b->phys, b->length - 1);
            parse(&memory);
            bool found = false;
            for (size_t i = 0; i < info.problem_count; i++)
                found |= strstr(info.problems[i], "runs past mapped memory") != NULL;
            /* With an XSDT, the RSDT is never read. */
            bool read = !(e->uses_xsdt && strcmp(signature, "RSDT") == 0);
            if (found != read)
                fail_msg("%s: block %zu cut short: reported %d", e->file, index, found);
            check_damage(e, index, signature, false, "cut short:");
            fake_memory_free(&memory);
        }
    }
}

/* What the boot facts show for QEMU's q35 under SeaBIOS. */
static void test_facts(void **state)
{
    (void)state;
    struct fake_memory memory;
    load("qemu_q35_seabios.bin", &memory);
    parse(&memory);
    console_stub_reset();
    acpi_print_facts(&info, 0xf5a40);
    const char *expected =
        "ACPI 1.0 (RSDP rev 0 at 0xf5a40), RSDT 0xffe233c: FACP APIC HPET MCFG WAET\n"
        "  2 CPUs (APIC ids 0 1), I/O APIC 0xfec00000, HPET 0xfed00000\n"
        "  IRQ 0->GSI 2, level/high 5 9 10 11; PM timer port 0x608; reset port 0xcf9=0xf\n";
    assert_string_equal(console_stub_output, expected);
    fake_memory_free(&memory);

    /* Every capture's facts: at most 4 lines (the XSDT's longer list wraps), none of 80 columns. */
    for (size_t c = 0; c < sizeof(captures) / sizeof(captures[0]); c++) {
        load(captures[c].file, &memory);
        parse(&memory);
        console_stub_reset();
        acpi_print_facts(&info, 0x4b768);
        size_t lines = 0;
        for (const char *line = console_stub_output; *line; lines++) {
            const char *end = strchr(line, '\n');
            assert_non_null(end);
            if (end - line >= 80)
                fail_msg("%s: a line of %d columns:\n%s", captures[c].file, (int)(end - line),
                         console_stub_output);
            line = end + 1;
        }
        if (lines > 4)
            fail_msg("%s: %zu lines:\n%s", captures[c].file, lines, console_stub_output);
        assert_non_null(strstr(console_stub_output, "WAET"));
        fake_memory_free(&memory);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_captures_decode),
        cmocka_unit_test(test_bochs_decodes),
        cmocka_unit_test(test_every_bit_flipped),
        cmocka_unit_test(test_every_table_cut_short),
        cmocka_unit_test(test_facts),
    };

    return cmocka_run_group_tests_name("acpi_captures", tests, NULL, NULL);
}
