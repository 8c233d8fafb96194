/*
 * Host tests for the Multiboot2 boot information parser: every kind of malformed structure is
 * refused with the right message and byte offset, first for the structure as a whole, then for
 * each tag type.
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

/* ---- Structure-level errors ---- */

static void test_null_pointer(void **state)
{
    struct boot_info info;
    struct boot_info_error err = {0};
    (void)state;

    assert_false(boot_info_parse(NULL, 0, &info, &err));
    assert_string_equal(err.what, "no boot information");
    assert_int_equal(err.offset, 0);
}

static void test_misaligned(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    (void)state;

    begin(&b);
    finish(&b);
    memmove(bytes(&b) + 4, bytes(&b), b.len);
    assert_false(boot_info_parse(bytes(&b) + 4, 0x10004, &info, &err));
    assert_string_equal(err.what, "boot information not 8-byte aligned");
    assert_int_equal(err.offset, 0);
}

/* The minimal structure (fixed part at 0, end tag at 8) with a total_size that lies about it. */
static void test_bad_total_size(void **state)
{
    static const struct {
        uint32_t total_size;
        const char *what;
        uint32_t offset;
    } cases[] = {
        {8, "total size below 16", 0},
        {0, "total size below 16", 0},
        /* The buffer is 8 KiB: any read trusting these sizes would be caught by ASan. */
        {BOOT_INFO_MAX_SIZE + 8, "total size above 1 MiB", 0},
        {0xfffffff8, "total size above 1 MiB", 0},
        {20, "total size not a multiple of 8", 0},
        /* 8 bytes more than the end tag accounts for: reported where they start. */
        {24, "data after the end tag", 16},
    };
    struct builder b;
    char name[32];
    (void)state;

    begin(&b);
    finish(&b);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        put_u32(&b, 0, cases[i].total_size);
        snprintf(name, sizeof(name), "total_size %u", cases[i].total_size);
        expect_error(&b, name, cases[i].what, cases[i].offset);
    }
}

static void test_missing_end_tag(void **state)
{
    struct builder b;
    (void)state;

    begin(&b);
    add_string_tag(&b, MB2_TAG_CMDLINE, "no end");
    put_u32(&b, 0, b.len);
    expect_error(&b, "no end tag", "missing end tag", b.len);
}

static void test_end_tag_wrong_size(void **state)
{
    struct builder b;
    uint32_t pad = 0;
    uint32_t end;
    (void)state;

    begin(&b);
    end = add_tag(&b, MB2_TAG_END, &pad, 4);
    put_u32(&b, 0, b.len);
    expect_error(&b, "12-byte end tag", "end tag size not 8", end);
}

/* Overwrite the size field of the tag at `tag`: parse must refuse that tag. */
static void expect_tag_size_error(struct builder *b, uint32_t tag, uint32_t size, const char *what)
{
    char name[32];

    put_u32(b, tag + 4, size);
    snprintf(name, sizeof(name), "tag size %u", size);
    expect_error(b, name, what, tag);
}

static void test_tag_size_below_8(void **state)
{
    struct builder b;
    uint32_t bad;
    (void)state;

    begin(&b);
    add_string_tag(&b, MB2_TAG_CMDLINE, "ok");
    bad = add_tag(&b, 0x99, NULL, 0);
    finish(&b);
    expect_tag_size_error(&b, bad, 4, "tag size below 8");
    expect_tag_size_error(&b, bad, 0, "tag size below 8"); /* would otherwise loop forever */
}

static void test_tag_past_the_end(void **state)
{
    struct builder b;
    uint32_t bad;
    (void)state;

    begin(&b);
    bad = add_string_tag(&b, MB2_TAG_CMDLINE, "hello");
    finish(&b);
    /* Claims to run 1 byte into where total_size says the structure stops. */
    expect_tag_size_error(&b, bad, b.len - bad + 1, "tag runs past the end");
    expect_tag_size_error(&b, bad, 0xffffffff, "tag runs past the end");
}

/* ---- Per-tag errors: each case is a structure holding only the bad tag ---- */

static void test_truncated_tags(void **state)
{
    uint32_t words[4] = {0};
    uint8_t rsdp[36];
    (void)state;

    expect_tag_error("memory map", MB2_TAG_MMAP, words, 4, "memory map tag too small", 0);
    expect_tag_error("basic memory info", MB2_TAG_BASIC_MEMINFO, words, 4,
                     "basic memory info tag too small", 0);
    expect_tag_error("command line", MB2_TAG_CMDLINE, NULL, 0, "command line tag too small", 0);
    expect_tag_error("module", MB2_TAG_MODULE, words, 8, "module tag too small", 0);
    expect_tag_error("framebuffer", MB2_TAG_FRAMEBUFFER, words, 16, "framebuffer tag too small", 0);
    expect_tag_error("EFI64", MB2_TAG_EFI64, words, 4, "EFI64 system table tag too small", 0);

    make_rsdp(rsdp, 2);
    expect_tag_error("ACPI 1.0", MB2_TAG_ACPI_OLD, rsdp, 19, "ACPI 1.0 RSDP tag too small", 0);
    expect_tag_error("ACPI 2.0", MB2_TAG_ACPI_NEW, rsdp, 20, "ACPI 2.0 RSDP tag too small", 0);
}

static void test_bad_entry_size(void **state)
{
    struct payload p;
    uint32_t entry_size = 24;
    (void)state;

    expect_mmap_error("size 16", 16, sample_map, 2, "memory map entry size below 24", 8);
    expect_mmap_error("size 0", 0, sample_map, 1, "memory map entry size below 24", 8);
    expect_mmap_error("size 28", 28, sample_map, 2, "memory map entry size not a multiple of 8", 8);

    /* Two 32-byte entries read as 24-byte ones: two entries and a stray 16 bytes. */
    mmap_payload(&p, 32, sample_map, 2);
    memcpy(p.bytes, &entry_size, 4);
    expect_tag_error("64 bytes of 24-byte entries", MB2_TAG_MMAP, p.bytes, p.len,
                     "memory map not a whole number of entries", 0);
}

static void test_empty_memory_map(void **state)
{
    (void)state;

    expect_mmap_error("no entries", 24, NULL, 0, "empty memory map", 0);
}

static void test_memory_map_entry_wraps(void **state)
{
    struct mb2_mmap_entry map[2] = {sample_map[0], {0xfffffffffffff000, 0x2000, 1, 0}};
    (void)state;

    /* The second entry: after the tag header, the map header and the first entry. */
    expect_mmap_error("top 4 KiB, 8 KiB long", 24, map, 2, "memory map entry wraps past 2^64",
                      8 + 8 + 24);
}

static void test_unterminated_strings(void **state)
{
    struct payload p;
    (void)state;

    expect_tag_error("command line", MB2_TAG_CMDLINE, "no nul here", 11,
                     "command line not NUL-terminated", 0);
    expect_tag_error("loader name", MB2_TAG_LOADER_NAME, "GRUB", 4,
                     "loader name not NUL-terminated", 0);

    module_payload(&p, 0x1000, 0x2000, "name");
    /* The tag's size leaves out the name's NUL. */
    expect_tag_error("module name", MB2_TAG_MODULE, p.bytes, p.len - 1,
                     "module name not NUL-terminated", 0);
}

static void test_module_errors(void **state)
{
    struct builder b;
    struct payload p;
    uint32_t bad = 0;
    (void)state;

    module_payload(&p, 0x2000, 0x1000, "backwards");
    expect_tag_error("end below start", MB2_TAG_MODULE, p.bytes, p.len,
                     "module ends before it starts", 0);

    /* A bad module after many good ones is still found, at its own offset. */
    begin(&b);
    for (uint32_t i = 0; i < 40; i++)
        add_module(&b, 0x1000, 0x2000, "m");
    bad = add_module(&b, 0x2000, 0x1fff, "m");
    finish(&b);
    expect_error(&b, "the 41st module ends before it starts", "module ends before it starts", bad);
}

static void test_duplicate_tag(void **state)
{
    struct builder b;
    uint32_t bad;
    (void)state;

    begin(&b);
    add_mmap(&b, 24, sample_map, 1);
    bad = add_mmap(&b, 24, sample_map, 1);
    finish(&b);
    expect_error(&b, "two memory maps", "duplicate memory map tag", bad);

    begin(&b);
    add_string_tag(&b, MB2_TAG_CMDLINE, "one");
    bad = add_string_tag(&b, MB2_TAG_CMDLINE, "two");
    finish(&b);
    expect_error(&b, "two command lines", "duplicate command line tag", bad);
}

/* Each case starts from a valid RSDP and breaks one thing; offsets count from the tag's start. */
static void test_bad_rsdp(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    uint8_t rsdp[48];
    uint32_t length;
    (void)state;

    /* ACPI 1.0: bad signature, then bad checksum. */
    make_rsdp(rsdp, 0);
    rsdp[0] = 'X';
    expect_tag_error("1.0 signature", MB2_TAG_ACPI_OLD, rsdp, 20, "bad RSDP signature", 8);

    make_rsdp(rsdp, 0);
    rsdp[16] ^= 1;
    expect_tag_error("1.0 checksum", MB2_TAG_ACPI_OLD, rsdp, 20, "bad RSDP checksum", 8);

    /* ACPI 2.0: the first checksum is checked too. */
    make_rsdp(rsdp, 2);
    rsdp[8] ^= 1;
    expect_tag_error("2.0 checksum", MB2_TAG_ACPI_NEW, rsdp, 36, "bad RSDP checksum", 8);

    /* A byte past the first 20 breaks only the extended checksum. */
    make_rsdp(rsdp, 2);
    rsdp[24] ^= 1;
    expect_tag_error("2.0 extended checksum", MB2_TAG_ACPI_NEW, rsdp, 36,
                     "bad RSDP extended checksum", 8);

    make_rsdp(rsdp, 2);
    length = 35;
    memcpy(rsdp + 20, &length, 4);
    expect_tag_error("length 35", MB2_TAG_ACPI_NEW, rsdp, 36, "RSDP length below 36", 8 + 20);

    /* The RSDP says 40 bytes but the tag holds only 36. */
    make_rsdp(rsdp, 2);
    length = 40;
    memcpy(rsdp + 20, &length, 4);
    expect_tag_error("length 40 in 36 bytes", MB2_TAG_ACPI_NEW, rsdp, 36,
                     "RSDP length past its tag", 8 + 20);

    /* A longer RSDP that fits its tag is fine, and its extra bytes are checksummed. */
    make_rsdp(rsdp, 2);
    memset(rsdp + 36, 0, 12);
    length = 48;
    memcpy(rsdp + 20, &length, 4);
    fix_checksum(rsdp, 48, 32);
    begin(&b);
    add_tag(&b, MB2_TAG_ACPI_NEW, rsdp, 48);
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.acpi_v2.length, 48);
}

/* Each case changes the valid RGB framebuffer; offsets count from the tag's start. */
static void test_bad_framebuffer(void **state)
{
    struct mb2_tag_framebuffer fb = rgb_fb;
    struct mb2_framebuffer_rgb fields = rgb_fields;
    uint8_t palette[2 + 3] = {2, 0, 1, 2, 3}; /* says 2 colours, holds 1 */
    (void)state;

    fb.framebuffer_type = 3;
    expect_framebuffer_error("type 3", &fb, &fields, sizeof(fields), "unknown framebuffer type",
                             29);

    fb = rgb_fb;
    fb.framebuffer_pitch = 1024 * 4 - 1;
    expect_framebuffer_error("pitch 4095", &fb, &fields, sizeof(fields),
                             "framebuffer pitch shorter than a line", 16);

    fb = rgb_fb;
    fb.framebuffer_addr = 0xfffffffffff00000;
    expect_framebuffer_error("1 MiB below 2^64", &fb, &fields, sizeof(fields),
                             "framebuffer wraps past 2^64", 8);

    expect_framebuffer_error("5 of 6 colour bytes", &rgb_fb, &fields, 5,
                             "framebuffer colour fields truncated", 0);

    fields.red_field_position = 30;
    expect_framebuffer_error("red at bits 30-37", &rgb_fb, &fields, sizeof(fields),
                             "framebuffer colour field outside the pixel", 32);

    fb = rgb_fb;
    fb.framebuffer_bpp = 48;
    fb.framebuffer_pitch = 1024 * 6;
    expect_framebuffer_error("48 bpp", &fb, &rgb_fields, sizeof(rgb_fields),
                             "framebuffer bpp out of range for RGB", 28);

    fb = rgb_fb;
    fb.framebuffer_type = MB2_FRAMEBUFFER_INDEXED;
    fb.framebuffer_bpp = 8;
    expect_framebuffer_error("2 colours, 1 given", &fb, palette, sizeof(palette),
                             "framebuffer palette truncated", 0);
    expect_framebuffer_error("no room for the count", &fb, palette, 1,
                             "framebuffer palette truncated", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_pointer),
        cmocka_unit_test(test_misaligned),
        cmocka_unit_test(test_bad_total_size),
        cmocka_unit_test(test_missing_end_tag),
        cmocka_unit_test(test_end_tag_wrong_size),
        cmocka_unit_test(test_tag_size_below_8),
        cmocka_unit_test(test_tag_past_the_end),
        cmocka_unit_test(test_truncated_tags),
        cmocka_unit_test(test_bad_entry_size),
        cmocka_unit_test(test_empty_memory_map),
        cmocka_unit_test(test_memory_map_entry_wraps),
        cmocka_unit_test(test_unterminated_strings),
        cmocka_unit_test(test_module_errors),
        cmocka_unit_test(test_duplicate_tag),
        cmocka_unit_test(test_bad_rsdp),
        cmocka_unit_test(test_bad_framebuffer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
