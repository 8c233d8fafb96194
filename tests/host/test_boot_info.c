/*
 * Host tests for the Multiboot2 boot information parser: well-formed structures built by hand
 * decode to the right fields. The malformed ones are in test_boot_info_errors.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "kernel/boot_info.h"
#include "kernel/compiler.h"
#include "kernel/multiboot2.h"
#include "kernel/string.h"
#include "tests/host/boot_info_builder.h"

static void test_full_structure(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct boot_mmap_entry e;
    struct boot_module module;
    uint32_t cursor = 0;
    uint32_t meminfo[] = {639, 129920};
    uint32_t bootdev[] = {0x80, 1, 0xffffffff};
    uint32_t elf[] = {0, 64, 0}; /* no section headers: skipped anyway */
    uint64_t efi64 = 0x7f9e018;
    uint32_t efi_mmap[] = {48, 1};
    uint32_t load_base = 0x100000;
    uint8_t rsdp1[36], rsdp2[36];
    uint32_t mmap_off;
    (void)state;

    begin(&b);
    add_string_tag(&b, MB2_TAG_CMDLINE, "console=serial loglevel=3");
    add_string_tag(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    add_module(&b, 0x200000, 0x201000, "initrd");
    add_module(&b, 0x300000, 0x300000, ""); /* empty module, empty name: both allowed */
    add_u32s(&b, MB2_TAG_BASIC_MEMINFO, meminfo, 2);
    add_u32s(&b, MB2_TAG_BOOTDEV, bootdev, 3);
    mmap_off = add_mmap(&b, 24, sample_map, 4);
    add_framebuffer(&b, &rgb_fb, &rgb_fields, sizeof(rgb_fields));
    add_u32s(&b, MB2_TAG_ELF_SECTIONS, elf, 3);
    add_tag(&b, MB2_TAG_EFI64, &efi64, 8);
    make_rsdp(rsdp1, 0);
    add_tag(&b, MB2_TAG_ACPI_OLD, rsdp1, 20);
    make_rsdp(rsdp2, 2);
    add_tag(&b, MB2_TAG_ACPI_NEW, rsdp2, 36);
    add_u32s(&b, MB2_TAG_EFI_MMAP, efi_mmap, 2);
    add_tag(&b, MB2_TAG_LOAD_BASE_ADDR, &load_base, 4);
    finish(&b);

    assert_true(parse(&b, &info, &err));

    assert_int_equal(info.mbi_start, 0x10000);
    assert_int_equal(info.mbi_end, 0x10000 + b.len);
    assert_string_equal(info.cmdline, "console=serial loglevel=3");
    assert_string_equal(info.loader_name, "GRUB 2.06");

    assert_int_equal(info.modules.count, 2);
    assert_true(boot_info_next_module(&info, &cursor, &module));
    assert_int_equal(module.start, 0x200000);
    assert_int_equal(module.end, 0x201000);
    assert_string_equal(module.name, "initrd");
    assert_true(boot_info_next_module(&info, &cursor, &module));
    assert_int_equal(module.start, 0x300000);
    assert_string_equal(module.name, "");
    assert_false(boot_info_next_module(&info, &cursor, &module));

    assert_true(info.meminfo.present);
    assert_int_equal(info.meminfo.lower_kib, 639);
    assert_int_equal(info.meminfo.upper_kib, 129920);
    assert_true(info.bootdev.present);
    assert_int_equal(info.bootdev.biosdev, 0x80);
    assert_int_equal(info.bootdev.partition, 1);
    assert_int_equal(info.bootdev.sub_partition, 0xffffffff);

    assert_ptr_equal(info.mmap.entries, bytes(&b) + mmap_off + 16);
    assert_int_equal(info.mmap.count, 4);
    assert_int_equal(info.mmap.entry_size, 24);
    for (size_t i = 0; i < 4; i++) {
        assert_true(boot_info_mmap_entry(&info, i, &e));
        assert_int_equal(e.base, sample_map[i].base_addr);
        assert_int_equal(e.length, sample_map[i].length);
        assert_int_equal(e.type, sample_map[i].type);
    }
    assert_false(boot_info_mmap_entry(&info, 4, &e));

    assert_true(info.framebuffer.present);
    assert_int_equal(info.framebuffer.address, 0xfd000000);
    assert_int_equal(info.framebuffer.pitch, 4096);
    assert_int_equal(info.framebuffer.width, 1024);
    assert_int_equal(info.framebuffer.height, 768);
    assert_int_equal(info.framebuffer.bpp, 32);
    assert_int_equal(info.framebuffer.type, MB2_FRAMEBUFFER_RGB);
    assert_int_equal(info.framebuffer.red_position, 16);
    assert_int_equal(info.framebuffer.red_size, 8);
    assert_int_equal(info.framebuffer.green_position, 8);
    assert_int_equal(info.framebuffer.green_size, 8);
    assert_int_equal(info.framebuffer.blue_position, 0);
    assert_int_equal(info.framebuffer.blue_size, 8);
    assert_null(info.framebuffer.palette);

    assert_true(info.has_efi64);
    assert_int_equal(info.efi64_system_table, 0x7f9e018);

    assert_true(info.acpi_v1.present);
    assert_int_equal(info.acpi_v1.revision, 0);
    assert_int_equal(info.acpi_v1.length, 20);
    assert_int_equal(info.acpi_v1.rsdt_address, 0x7fe14c2);
    assert_int_equal(info.acpi_v1.xsdt_address, 0);
    assert_true(info.acpi_v2.present);
    assert_int_equal(info.acpi_v2.revision, 2);
    assert_int_equal(info.acpi_v2.length, 36);
    assert_int_equal(info.acpi_v2.rsdt_address, 0x7fe14c2);
    assert_int_equal(info.acpi_v2.xsdt_address, 0x7fe1500);
    assert_memory_equal(info.acpi_v2.table, rsdp2, 36);
}

/* Only the fixed part and the end tag: valid, and every optional field reads as absent. */
static void test_minimal_structure(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct boot_mmap_entry e;
    (void)state;

    begin(&b);
    finish(&b);
    assert_int_equal(b.len, 16);
    assert_true(parse(&b, &info, &err));
    assert_null(info.cmdline);
    assert_null(info.loader_name);
    assert_false(info.meminfo.present);
    assert_int_equal(info.mmap.count, 0);
    assert_false(boot_info_mmap_entry(&info, 0, &e));
    assert_false(info.framebuffer.present);
    assert_int_equal(info.modules.count, 0);
    assert_false(boot_info_next_module(&info, &(uint32_t){0}, &(struct boot_module){0}));
    assert_false(info.acpi_v1.present);
    assert_false(info.acpi_v2.present);
    assert_false(info.has_efi64);
    assert_int_equal(info.mbi_end - info.mbi_start, 16);
}

/* Entries larger than 24 bytes: the accessor must step by entry_size, not by 24. */
static void test_mmap_larger_entries(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct boot_mmap_entry e;
    (void)state;

    begin(&b);
    add_mmap(&b, 40, sample_map, 4);
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.mmap.count, 4);
    assert_int_equal(info.mmap.entry_size, 40);
    assert_true(boot_info_mmap_entry(&info, 3, &e));
    assert_int_equal(e.base, 0x7fe0000);
    assert_int_equal(e.length, 0x20000);
    assert_int_equal(e.type, MB2_MEMORY_ACPI_RECLAIMABLE);
}

static void test_unknown_tags_skipped(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    uint8_t junk[13] = {0xff, 0xff, 0xff, 0xff, 0xff};
    (void)state;

    begin(&b);
    add_tag(&b, 0x1234, junk, 5); /* size 13: the parser must skip the padding too */
    add_tag(&b, 0xffffffff, NULL, 0);
    add_tag(&b, MB2_TAG_SMBIOS, junk, 13);
    add_string_tag(&b, MB2_TAG_CMDLINE, "after the unknown ones");
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_string_equal(info.cmdline, "after the unknown ones");
}

static void test_framebuffer_indexed_and_text(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct mb2_tag_framebuffer fb = {.framebuffer_addr = 0xa0000,
                                     .framebuffer_pitch = 320,
                                     .framebuffer_width = 320,
                                     .framebuffer_height = 200,
                                     .framebuffer_bpp = 8,
                                     .framebuffer_type = MB2_FRAMEBUFFER_INDEXED};
    uint8_t palette[2 + 2 * 3] = {2, 0, 0, 0, 0, 0xff, 0xff, 0xff};
    (void)state;

    begin(&b);
    add_framebuffer(&b, &fb, palette, sizeof(palette));
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.framebuffer.type, MB2_FRAMEBUFFER_INDEXED);
    assert_int_equal(info.framebuffer.palette_count, 2);
    assert_non_null(info.framebuffer.palette);
    assert_int_equal(info.framebuffer.palette[3], 0xff);

    /* BIOS without a graphics mode: GRUB reports the VGA text buffer. */
    fb.framebuffer_addr = 0xb8000;
    fb.framebuffer_pitch = 160;
    fb.framebuffer_width = 80;
    fb.framebuffer_height = 25;
    fb.framebuffer_bpp = 16;
    fb.framebuffer_type = MB2_FRAMEBUFFER_EGA_TEXT;
    begin(&b);
    add_framebuffer(&b, &fb, NULL, 0);
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.framebuffer.type, MB2_FRAMEBUFFER_EGA_TEXT);
    assert_int_equal(info.framebuffer.address, 0xb8000);
    assert_int_equal(info.framebuffer.width, 80);
}

/*
 * No limit on modules: 200 of them (the old parser refused the 17th), with other tags between
 * them, all read back in order. The builder's 8 KiB hold about 300 module tags.
 */
static void test_every_module_is_read(void **state)
{
    enum { MODULES = 200 };
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct boot_module module;
    uint32_t cursor = 0, n = 0;
    char name[8];
    (void)state;

    begin(&b);
    for (uint32_t i = 0; i < MODULES; i++) {
        snprintf(name, sizeof(name), "m%u", i);
        add_module(&b, i * 0x1000, i * 0x1000 + 0x800 + i, name);
        if (i == MODULES / 2)
            add_string_tag(&b, MB2_TAG_CMDLINE, "between the modules");
    }
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.modules.count, MODULES);
    for (; boot_info_next_module(&info, &cursor, &module); n++) {
        snprintf(name, sizeof(name), "m%u", n);
        assert_int_equal(module.start, n * 0x1000);
        assert_int_equal(module.end, n * 0x1000 + 0x800 + n);
        assert_string_equal(module.name, name);
    }
    assert_int_equal(n, MODULES);
    assert_string_equal(info.cmdline, "between the modules");
    /* The walk stays finished. */
    assert_false(boot_info_next_module(&info, &cursor, &module));
}

/* ---- Helpers ---- */

static void test_mmap_type_names(void **state)
{
    (void)state;

    assert_string_equal(mmap_type_name(MB2_MEMORY_AVAILABLE), "available");
    assert_string_equal(mmap_type_name(MB2_MEMORY_RESERVED), "reserved");
    assert_string_equal(mmap_type_name(MB2_MEMORY_ACPI_RECLAIMABLE), "ACPI reclaimable");
    assert_string_equal(mmap_type_name(MB2_MEMORY_NVS), "ACPI NVS");
    assert_string_equal(mmap_type_name(MB2_MEMORY_BADRAM), "bad RAM");
    assert_string_equal(mmap_type_name(0), "unknown (reserved)");
    assert_string_equal(mmap_type_name(0x12345), "unknown (reserved)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_structure),
        cmocka_unit_test(test_minimal_structure),
        cmocka_unit_test(test_mmap_larger_entries),
        cmocka_unit_test(test_unknown_tags_skipped),
        cmocka_unit_test(test_framebuffer_indexed_and_text),
        cmocka_unit_test(test_every_module_is_read),
        cmocka_unit_test(test_mmap_type_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
