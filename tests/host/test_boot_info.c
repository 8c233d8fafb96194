/*
 * Host tests for the Multiboot2 boot information parser: well-formed structures built by hand
 * decode to the right fields, and every kind of malformed one is refused with the right message
 * and byte offset.
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

/* A boot information structure under construction, 8-byte aligned like the real one. */
struct builder {
    uint64_t words[1024];
    uint32_t len;
};

static uint8_t *bytes(struct builder *b)
{
    return (uint8_t *)b->words;
}

static void put_u32(struct builder *b, uint32_t offset, uint32_t v)
{
    memcpy(bytes(b) + offset, &v, sizeof(v));
}

static void begin(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    b->len = 8; /* total_size and reserved, filled in by finish() */
}

/* Append a tag with the given payload, pad to 8 bytes, and return the tag's offset. */
static uint32_t add_tag(struct builder *b, uint32_t type, const void *payload, uint32_t len)
{
    uint32_t offset = b->len;

    assert_true(offset + 8 + len + 8 <= sizeof(b->words));
    put_u32(b, offset, type);
    put_u32(b, offset + 4, 8 + len);
    if (len > 0)
        memcpy(bytes(b) + offset + 8, payload, len);
    b->len = (offset + 8 + len + 7) & ~UINT32_C(7);
    return offset;
}

static uint32_t add_string_tag(struct builder *b, uint32_t type, const char *s)
{
    return add_tag(b, type, s, (uint32_t)strlen(s) + 1);
}

/* A tag's payload (everything after its 8-byte type and size), built before it is added. */
struct payload {
    uint8_t bytes[512];
    uint32_t len;
};

/* Multiboot2 spec 3.6.6: start and end addresses, then the NUL-terminated name. */
static void module_payload(struct payload *p, uint32_t start, uint32_t end, const char *name)
{
    uint32_t name_len = (uint32_t)strlen(name) + 1;

    memcpy(p->bytes, &start, 4);
    memcpy(p->bytes + 4, &end, 4);
    memcpy(p->bytes + 8, name, name_len);
    p->len = 8 + name_len;
}

/* Multiboot2 spec 3.6.8: entry_size, entry_version 0, then n entries (extra bytes zero). */
static void mmap_payload(struct payload *p, uint32_t entry_size, const struct mb2_mmap_entry *e,
                         uint32_t n)
{
    uint32_t header[2] = {entry_size, 0};

    memset(p->bytes, 0, sizeof(p->bytes));
    memcpy(p->bytes, header, sizeof(header));
    for (uint32_t i = 0; i < n; i++)
        memcpy(p->bytes + 8 + i * entry_size, &e[i], sizeof(e[i]));
    p->len = 8 + n * entry_size;
}

/* Multiboot2 spec 3.6.12: the common framebuffer fields, then the type's colour information. */
static void framebuffer_payload(struct payload *p, const struct mb2_tag_framebuffer *fb,
                                const void *colour, uint32_t colour_len)
{
    uint32_t common = sizeof(*fb) - 8;

    memcpy(p->bytes, (const uint8_t *)fb + 8, common);
    memcpy(p->bytes + common, colour, colour_len);
    p->len = common + colour_len;
}

static uint32_t add_module(struct builder *b, uint32_t start, uint32_t end, const char *name)
{
    struct payload p;

    module_payload(&p, start, end, name);
    return add_tag(b, MB2_TAG_MODULE, p.bytes, p.len);
}

static uint32_t add_u32s(struct builder *b, uint32_t type, const uint32_t *v, uint32_t n)
{
    return add_tag(b, type, v, n * 4);
}

static uint32_t add_mmap(struct builder *b, uint32_t entry_size, const struct mb2_mmap_entry *e,
                         uint32_t n)
{
    struct payload p;

    mmap_payload(&p, entry_size, e, n);
    return add_tag(b, MB2_TAG_MMAP, p.bytes, p.len);
}

static uint32_t add_framebuffer(struct builder *b, const struct mb2_tag_framebuffer *fb,
                                const void *colour, uint32_t colour_len)
{
    struct payload p;

    framebuffer_payload(&p, fb, colour, colour_len);
    return add_tag(b, MB2_TAG_FRAMEBUFFER, p.bytes, p.len);
}

static const struct mb2_tag_framebuffer rgb_fb = {
    .framebuffer_addr = 0xfd000000,
    .framebuffer_pitch = 4096,
    .framebuffer_width = 1024,
    .framebuffer_height = 768,
    .framebuffer_bpp = 32,
    .framebuffer_type = MB2_FRAMEBUFFER_RGB,
};
static const struct mb2_framebuffer_rgb rgb_fields = {16, 8, 8, 8, 0, 8};

static void fix_checksum(uint8_t *bytes_, uint32_t len, uint32_t checksum_at)
{
    uint8_t sum = 0;

    bytes_[checksum_at] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + bytes_[i]);
    bytes_[checksum_at] = (uint8_t)(0x100 - sum);
}

/* A valid ACPI RSDP: 20 bytes for revision 0, 36 for revision 2. */
static void make_rsdp(uint8_t *r, uint8_t revision)
{
    uint32_t rsdt = 0x7fe14c2, length = 36;
    uint64_t xsdt = 0x7fe1500;

    memset(r, 0, 36);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "KEELOS", 6);
    r[15] = revision;
    memcpy(r + 16, &rsdt, 4);
    fix_checksum(r, 20, 8);
    if (revision >= 2) {
        memcpy(r + 20, &length, 4);
        memcpy(r + 24, &xsdt, 8);
        fix_checksum(r, 36, 32);
    }
}

/* Write the end tag and total_size. */
static void finish(struct builder *b)
{
    add_tag(b, MB2_TAG_END, NULL, 0);
    put_u32(b, 0, b->len);
}

static bool parse(struct builder *b, struct boot_info *info, struct boot_info_error *err)
{
    return boot_info_parse(bytes(b), 0x10000, info, err);
}

/*
 * Parse must fail with exactly this message at exactly this offset. `name` says which case this
 * is, so a failure in a test that checks several cases reports the one that broke.
 */
static void expect_error(struct builder *b, const char *name, const char *what, uint32_t offset)
{
    struct boot_info info;
    struct boot_info_error err = {0};

    if (parse(b, &info, &err))
        fail_msg("%s: accepted, expected \"%s\" at offset %u", name, what, offset);
    if (err.what == NULL || strcmp(err.what, what) != 0 || err.offset != offset)
        fail_msg("%s: got \"%s\" at offset %u, expected \"%s\" at offset %u", name,
                 err.what != NULL ? err.what : "(no message)", err.offset, what, offset);
}

/*
 * A structure holding just this one tag must be refused with this message, at this offset counted
 * from the tag's first byte (0 is its type, 8 the start of the payload).
 */
static void expect_tag_error(const char *name, uint32_t type, const void *payload, uint32_t len,
                             const char *what, uint32_t offset_in_tag)
{
    struct builder b;
    uint32_t tag;

    begin(&b);
    tag = add_tag(&b, type, payload, len);
    finish(&b);
    expect_error(&b, name, what, tag + offset_in_tag);
}

static void expect_mmap_error(const char *name, uint32_t entry_size, const struct mb2_mmap_entry *e,
                              uint32_t n, const char *what, uint32_t offset_in_tag)
{
    struct payload p;

    mmap_payload(&p, entry_size, e, n);
    expect_tag_error(name, MB2_TAG_MMAP, p.bytes, p.len, what, offset_in_tag);
}

static void expect_framebuffer_error(const char *name, const struct mb2_tag_framebuffer *fb,
                                     const void *colour, uint32_t colour_len, const char *what,
                                     uint32_t offset_in_tag)
{
    struct payload p;

    framebuffer_payload(&p, fb, colour, colour_len);
    expect_tag_error(name, MB2_TAG_FRAMEBUFFER, p.bytes, p.len, what, offset_in_tag);
}

static const struct mb2_mmap_entry sample_map[] = {
    {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
    {0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0},
    {0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE, 0},
    {0x7fe0000, 0x20000, MB2_MEMORY_ACPI_RECLAIMABLE, 0},
};

static void test_full_structure(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    struct boot_mmap_entry e;
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

    assert_int_equal(info.module_count, 2);
    assert_int_equal(info.modules[0].start, 0x200000);
    assert_int_equal(info.modules[0].end, 0x201000);
    assert_string_equal(info.modules[0].name, "initrd");
    assert_int_equal(info.modules[1].start, 0x300000);
    assert_string_equal(info.modules[1].name, "");

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

    assert_true(info.has_load_base);
    assert_int_equal(info.load_base, 0x100000);
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
    assert_int_equal(info.module_count, 0);
    assert_false(info.acpi_v1.present);
    assert_false(info.acpi_v2.present);
    assert_false(info.has_efi64);
    assert_false(info.has_load_base);
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

static void test_sixteen_modules_fit(void **state)
{
    struct builder b;
    struct boot_info info;
    struct boot_info_error err = {0};
    (void)state;

    begin(&b);
    for (uint32_t i = 0; i < BOOT_INFO_MAX_MODULES; i++)
        add_module(&b, i * 0x1000, i * 0x1000 + 0x800, "m");
    finish(&b);
    assert_true(parse(&b, &info, &err));
    assert_int_equal(info.module_count, BOOT_INFO_MAX_MODULES);
    assert_int_equal(info.modules[15].start, 15 * 0x1000);
}

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
    expect_tag_error("load base", MB2_TAG_LOAD_BASE_ADDR, NULL, 0,
                     "load base address tag too small", 0);

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

    begin(&b);
    for (uint32_t i = 0; i <= BOOT_INFO_MAX_MODULES; i++)
        bad = add_module(&b, 0x1000, 0x2000, "m");
    finish(&b);
    expect_error(&b, "one module too many", "too many modules", bad);
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
        cmocka_unit_test(test_sixteen_modules_fit),
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
        cmocka_unit_test(test_mmap_type_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
