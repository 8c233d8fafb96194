/*
 * Host tests for the memory map in the boot facts (kernel/boot_facts_memory.c): the compact form
 * the boot screen shows, wrapped before column 80, and the full table, each with every entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/boot_facts.h"
#include "kernel/multiboot2.h"
#include "tests/host/boot_info_builder.h"
#include "tests/host/console_stub.h"

/* What SeaBIOS gives QEMU pc with -m 128M. */
static const struct mb2_mmap_entry seabios_map[] = {
    {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
    {0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0},
    {0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0},
    {0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE, 0},
    {0x7fe0000, 0x20000, MB2_MEMORY_RESERVED, 0},
    {0xfffc0000, 0x40000, MB2_MEMORY_RESERVED, 0},
    {0xfd00000000, 0x300000000, MB2_MEMORY_RESERVED, 0},
};

/* Parses a structure holding the map (and the BIOS's counts when lower_kib is not 0). */
static void build(struct builder *b, struct boot_info *info, const struct mb2_mmap_entry *map,
                  uint32_t count, uint32_t lower_kib, uint32_t upper_kib)
{
    struct boot_info_error err = {0};
    uint32_t meminfo[] = {lower_kib, upper_kib};

    begin(b);
    if (lower_kib)
        add_u32s(b, MB2_TAG_BASIC_MEMINFO, meminfo, 2);
    if (count)
        add_mmap(b, 24, map, count);
    finish(b);
    assert_true(parse(b, info, &err));
    console_stub_reset();
}

static void test_compact_map_wraps_before_column_80(void **state)
{
    struct builder b;
    struct boot_info info;
    (void)state;

    build(&b, &info, seabios_map, 7, 639, 129920);
    boot_facts_print_memory(&info);
    assert_string_equal(console_stub_output,
                        "memory map (7 entries): 0x0-0x9fc00 available, 0x9fc00-0xa0000 reserved,\n"
                        "  0xf0000-0x100000 reserved, 0x100000-0x7fe0000 available,\n"
                        "  0x7fe0000-0x8000000 reserved, 0xfffc0000-0x100000000 reserved,\n"
                        "  0xfd00000000-0x10000000000 reserved\n"
                        "usable memory: 133692416 bytes (127 MiB), BIOS count 639 KiB + 126 MiB\n");
}

/*
 * The boundary: "memory map (2 entries): 0x0-0x1000 available" is 44 characters; a second entry
 * ", 0x1000-0x<end> reserved" with an end of 15 hex digits makes a line of 79, which stays; one
 * of 16 digits would make 80, which wraps.
 */
static void test_compact_map_line_of_79_stays_80_wraps(void **state)
{
    struct builder b;
    struct boot_info info;
    const struct mb2_mmap_entry fits[] = {
        {0x0, 0x1000, MB2_MEMORY_AVAILABLE, 0},
        {0x1000, 0x100000000000000 - 0x1000, MB2_MEMORY_RESERVED, 0},
    };
    const struct mb2_mmap_entry wraps[] = {
        {0x0, 0x1000, MB2_MEMORY_AVAILABLE, 0},
        {0x1000, 0x1000000000000000 - 0x1000, MB2_MEMORY_RESERVED, 0},
    };
    (void)state;

    build(&b, &info, fits, 2, 0, 0);
    boot_facts_print_memory(&info);
    assert_string_equal(console_stub_output,
                        "memory map (2 entries): 0x0-0x1000 available, 0x1000-0x100000000000000 "
                        "reserved\nusable memory: 4096 bytes (0 MiB)\n");
    assert_int_equal(strchr(console_stub_output, '\n') - console_stub_output, 79);

    build(&b, &info, wraps, 2, 0, 0);
    boot_facts_print_memory(&info);
    assert_string_equal(
        console_stub_output,
        "memory map (2 entries): 0x0-0x1000 available,\n"
        "  0x1000-0x1000000000000000 reserved\nusable memory: 4096 bytes (0 MiB)\n");
}

static void test_compact_map_one_entry_and_none(void **state)
{
    struct builder b;
    struct boot_info info;
    (void)state;

    build(&b, &info, seabios_map + 3, 1, 0, 0);
    boot_facts_print_memory(&info);
    assert_string_equal(console_stub_output, "memory map (1 entry): 0x100000-0x7fe0000 available\n"
                                             "usable memory: 133038080 bytes (126 MiB)\n");

    build(&b, &info, NULL, 0, 639, 129920);
    boot_facts_print_memory(&info);
    assert_string_equal(console_stub_output,
                        "memory map: none (the boot loader gave no memory map)\n");
}

static void test_table_has_a_row_per_entry(void **state)
{
    struct builder b;
    struct boot_info info;
    (void)state;

    build(&b, &info, seabios_map, 3, 639, 129920);
    boot_facts_print_memory_table(&info);
    assert_string_equal(console_stub_output,
                        "memory map: 3 entries\n"
                        "  start               end                       size  type\n"
                        "  0x0000000000000000  0x000000000009fc00     639 KiB  available\n"
                        "  0x000000000009fc00  0x00000000000a0000       1 KiB  reserved\n"
                        "  0x00000000000f0000  0x0000000000100000      64 KiB  reserved\n"
                        "usable memory: 654336 bytes (0 MiB), BIOS count 639 KiB + 126 MiB\n");
}

static void test_sizes(void **state)
{
    char buf[16];
    (void)state;

    boot_facts_format_size(buf, sizeof(buf), 0x9fc00);
    assert_string_equal(buf, "639 KiB");
    boot_facts_format_size(buf, sizeof(buf), 100ULL << 20);
    assert_string_equal(buf, "100 MiB");
    boot_facts_format_size(buf, sizeof(buf), (99ULL << 20) + 1); /* under 100 units, not exact */
    assert_string_equal(buf, "101376 KiB");
    boot_facts_format_size(buf, sizeof(buf), 4ULL << 30);
    assert_string_equal(buf, "4 GiB");
    boot_facts_format_size(buf, sizeof(buf), 1023);
    assert_string_equal(buf, "1023 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_map_wraps_before_column_80),
        cmocka_unit_test(test_compact_map_line_of_79_stays_80_wraps),
        cmocka_unit_test(test_compact_map_one_entry_and_none),
        cmocka_unit_test(test_table_has_a_row_per_entry),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
