/* The host tests' boot information builder: see boot_info_builder.h. */
#include "tests/host/boot_info_builder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "kernel/string.h"

uint8_t *bytes(struct builder *b)
{
    return (uint8_t *)b->words;
}

void put_u32(struct builder *b, uint32_t offset, uint32_t v)
{
    memcpy(bytes(b) + offset, &v, sizeof(v));
}

void begin(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    b->len = 8; /* total_size and reserved, filled in by finish() */
}

/* Append a tag with the given payload, pad to 8 bytes, and return the tag's offset. */
uint32_t add_tag(struct builder *b, uint32_t type, const void *payload, uint32_t len)
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

uint32_t add_string_tag(struct builder *b, uint32_t type, const char *s)
{
    return add_tag(b, type, s, (uint32_t)strlen(s) + 1);
}

/* Multiboot2 spec 3.6.6: start and end addresses, then the NUL-terminated name. */
void module_payload(struct payload *p, uint32_t start, uint32_t end, const char *name)
{
    uint32_t name_len = (uint32_t)strlen(name) + 1;

    memcpy(p->bytes, &start, 4);
    memcpy(p->bytes + 4, &end, 4);
    memcpy(p->bytes + 8, name, name_len);
    p->len = 8 + name_len;
}

/* Multiboot2 spec 3.6.8: entry_size, entry_version 0, then n entries (extra bytes zero). */
void mmap_payload(struct payload *p, uint32_t entry_size, const struct mb2_mmap_entry *e,
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
void framebuffer_payload(struct payload *p, const struct mb2_tag_framebuffer *fb,
                         const void *colour, uint32_t colour_len)
{
    uint32_t common = sizeof(*fb) - 8;

    memcpy(p->bytes, (const uint8_t *)fb + 8, common);
    memcpy(p->bytes + common, colour, colour_len);
    p->len = common + colour_len;
}

uint32_t add_module(struct builder *b, uint32_t start, uint32_t end, const char *name)
{
    struct payload p;

    module_payload(&p, start, end, name);
    return add_tag(b, MB2_TAG_MODULE, p.bytes, p.len);
}

uint32_t add_u32s(struct builder *b, uint32_t type, const uint32_t *v, uint32_t n)
{
    return add_tag(b, type, v, n * 4);
}

uint32_t add_mmap(struct builder *b, uint32_t entry_size, const struct mb2_mmap_entry *e,
                  uint32_t n)
{
    struct payload p;

    mmap_payload(&p, entry_size, e, n);
    return add_tag(b, MB2_TAG_MMAP, p.bytes, p.len);
}

uint32_t add_framebuffer(struct builder *b, const struct mb2_tag_framebuffer *fb,
                         const void *colour, uint32_t colour_len)
{
    struct payload p;

    framebuffer_payload(&p, fb, colour, colour_len);
    return add_tag(b, MB2_TAG_FRAMEBUFFER, p.bytes, p.len);
}

const struct mb2_tag_framebuffer rgb_fb = {
    .framebuffer_addr = 0xfd000000,
    .framebuffer_pitch = 4096,
    .framebuffer_width = 1024,
    .framebuffer_height = 768,
    .framebuffer_bpp = 32,
    .framebuffer_type = MB2_FRAMEBUFFER_RGB,
};
const struct mb2_framebuffer_rgb rgb_fields = {16, 8, 8, 8, 0, 8};

void fix_checksum(uint8_t *bytes_, uint32_t len, uint32_t checksum_at)
{
    uint8_t sum = 0;

    bytes_[checksum_at] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + bytes_[i]);
    bytes_[checksum_at] = (uint8_t)(0x100 - sum);
}

/* A valid ACPI RSDP: 20 bytes for revision 0, 36 for revision 2. */
void make_rsdp(uint8_t *r, uint8_t revision)
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
void finish(struct builder *b)
{
    add_tag(b, MB2_TAG_END, NULL, 0);
    put_u32(b, 0, b->len);
}

bool parse(struct builder *b, struct boot_info *info, struct boot_info_error *err)
{
    return boot_info_parse(bytes(b), 0x10000, info, err);
}

/*
 * Parse must fail with exactly this message at exactly this offset. `name` says which case this
 * is, so a failure in a test that checks several cases reports the one that broke.
 */
void expect_error(struct builder *b, const char *name, const char *what, uint32_t offset)
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
void expect_tag_error(const char *name, uint32_t type, const void *payload, uint32_t len,
                      const char *what, uint32_t offset_in_tag)
{
    struct builder b;
    uint32_t tag;

    begin(&b);
    tag = add_tag(&b, type, payload, len);
    finish(&b);
    expect_error(&b, name, what, tag + offset_in_tag);
}

void expect_mmap_error(const char *name, uint32_t entry_size, const struct mb2_mmap_entry *e,
                       uint32_t n, const char *what, uint32_t offset_in_tag)
{
    struct payload p;

    mmap_payload(&p, entry_size, e, n);
    expect_tag_error(name, MB2_TAG_MMAP, p.bytes, p.len, what, offset_in_tag);
}

void expect_framebuffer_error(const char *name, const struct mb2_tag_framebuffer *fb,
                              const void *colour, uint32_t colour_len, const char *what,
                              uint32_t offset_in_tag)
{
    struct payload p;

    framebuffer_payload(&p, fb, colour, colour_len);
    expect_tag_error(name, MB2_TAG_FRAMEBUFFER, p.bytes, p.len, what, offset_in_tag);
}

const struct mb2_mmap_entry sample_map[4] = {
    {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
    {0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0},
    {0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE, 0},
    {0x7fe0000, 0x20000, MB2_MEMORY_ACPI_RECLAIMABLE, 0},
};
