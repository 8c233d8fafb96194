/*
 * libFuzzer target for the ACPI parser. The input is a capture (tests/fuzz/acpi_capture.py: records
 * of u64 address, u32 length, bytes, the first one the RSDP), laid out as fake physical memory in
 * which every record is its own heap block of exactly its size, so AddressSanitizer reports any
 * read outside what the parser was handed. The result is then checked against its own rules and
 * printed as the boot facts would print it.
 *
 * `make fuzz-acpi` builds and runs it (FUZZ_SECONDS=60); the seeds are tests/fuzz/corpus/acpi.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/acpi.h"
#include "tests/host/acpi_fake_memory.h"
#include "tests/host/console_stub.h"

static struct acpi_info info;

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition))                                                                          \
            __builtin_trap();                                                                      \
    } while (0)

static void check(void)
{
    const struct acpi_madt *madt = &info.madt;

    CHECK(info.table_count <= ACPI_MAX_TABLES);
    CHECK(info.problem_count <= ACPI_MAX_PROBLEMS);
    CHECK(info.problems_skipped == 0 || info.problem_count == ACPI_MAX_PROBLEMS);
    for (size_t i = 0; i < info.problem_count; i++)
        CHECK(strnlen(info.problems[i], ACPI_PROBLEM_SIZE) < ACPI_PROBLEM_SIZE);
    /* A table whose header could not be read has no signature. */
    for (size_t i = 0; i < info.table_count; i++)
        CHECK(strlen(info.tables[i].signature) == (info.tables[i].length ? 4 : 0) ||
              (!info.tables[i].valid && strlen(info.tables[i].signature) == 4));
    CHECK(strlen(info.oem_id) == (info.present ? 6 : 0));
    /* Nothing is found without a usable root table, nor a table while its problem is reported. */
    if (info.root_address == 0)
        CHECK(!madt->present && !info.fadt.present && !info.hpet.present && !info.mcfg.present);
    CHECK(madt->cpu_count <= ACPI_MAX_CPUS && madt->ioapic_count <= ACPI_MAX_IOAPICS);
    CHECK(madt->override_count <= ACPI_MAX_OVERRIDES);
    CHECK(madt->nmi_source_count <= ACPI_MAX_NMI_SOURCES);
    CHECK(madt->lapic_nmi_count <= ACPI_MAX_LAPIC_NMIS);
    CHECK(madt->cpus_skipped == 0 || madt->cpu_count == ACPI_MAX_CPUS);
    if (!madt->present)
        CHECK(madt->cpu_count == 0 && madt->ioapic_count == 0 && madt->override_count == 0);
    for (size_t i = 0; i < madt->override_count; i++)
        CHECK(madt->overrides[i].polarity <= 3 && madt->overrides[i].trigger <= 3);
    if (info.fadt.has_pm_timer)
        CHECK(info.fadt.pm_timer_bits == 24 || info.fadt.pm_timer_bits == 32);
    CHECK(info.mcfg.range_count <= ACPI_MAX_MCFG_RANGES);
    if (info.hpet.present)
        CHECK(info.hpet.comparators >= 1 && info.hpet.comparators <= 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fake_memory memory = {0};

    fake_memory_load(&memory, data, size);
    struct acpi_memory accessor = fake_memory_accessor(&memory);
    if (memory.count > 0)
        acpi_parse(&accessor, memory.blocks[0].bytes, memory.blocks[0].length, &info);
    else
        acpi_parse(&accessor, NULL, 0, &info);
    check();
    console_stub_reset();
    acpi_print_facts(&info, 0x1000);
    fake_memory_free(&memory);
    return 0;
}
