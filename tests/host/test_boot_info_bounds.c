/*
 * Boundary cases of the boot information parser: each check is tried on both sides of its edge
 * (wrap checks at exactly 2^64 and one below, pitches and colour fields that exactly fit, a NUL
 * in a tag's last byte or just outside it). Every structure is parsed from a block malloc'd to
 * its exact size, so AddressSanitizer sees any read past total_size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kernel/boot_info.h"
#include "kernel/multiboot2.h"
#include "kernel/string.h"

/* One tag (type, payload) and the end tag, in a block of exactly total_size bytes. */
static uint8_t *build(uint32_t type, const void *payload, uint32_t len)
{
    uint32_t tag_end = 8 + ((8 + len + 7) & ~UINT32_C(7));
    uint32_t total = tag_end + 8;
    uint8_t *mbi = calloc(1, total);
    uint32_t header[2] = {total, 0};
    uint32_t tag[2] = {type, 8 + len};
    uint32_t end[2] = {MB2_TAG_END, 8};

    assert_non_null(mbi);
    memcpy(mbi, header, 8);
    memcpy(mbi + 8, tag, 8);
    memcpy(mbi + 16, payload, len);
    memcpy(mbi + tag_end, end, 8);
    return mbi;
}

/* What the last parse found; it points into last_mbi, which lives until the next parse. */
static struct boot_info info;
static uint8_t *last_mbi;

/* Parses a one-tag structure; NULL if it was accepted, else the parser's reason. */
static const char *parse(uint32_t type, const void *payload, uint32_t len)
{
    struct boot_info_error err = {0};

    free(last_mbi);
    last_mbi = build(type, payload, len);
    bool ok = boot_info_parse(last_mbi, 0x10000, &info, &err);

    if (ok)
        return NULL;
    assert_non_null(err.what);
    return err.what;
}

#define ACCEPTED(call)           assert_null(call)
#define REFUSED(call, substring) assert_non_null(strstr_or_null(call, substring))

/* strstr on a possibly NULL text (an acceptance), for REFUSED's message check. */
static const char *strstr_or_null(const char *text, const char *substring)
{
    if (text == NULL)
        return NULL;
    for (; *text; text++)
        if (strncmp(text, substring, strlen(substring)) == 0)
            return text;
    return NULL;
}

static const char *parse_mmap_entry(uint32_t entry_size, uint64_t base, uint64_t length)
{
    uint8_t payload[8 + 32] = {0};
    uint32_t header[2] = {entry_size, 0};
    struct mb2_mmap_entry e = {.base_addr = base, .length = length, .type = 1};

    memcpy(payload, header, 8);
    memcpy(payload + 8, &e, sizeof(e));
    return parse(MB2_TAG_MMAP, payload, 8 + entry_size);
}

static void test_mmap_wrap_at_exactly_2_64(void **state)
{
    (void)state;
    ACCEPTED(parse_mmap_entry(24, 0x1001, UINT64_MAX - 0x1001)); /* ends at 2^64 - 1 */
    REFUSED(parse_mmap_entry(24, 0x1001, UINT64_MAX - 0x1000), "wraps past 2^64"); /* at 2^64 */
    ACCEPTED(parse_mmap_entry(24, UINT64_MAX, 0));
    REFUSED(parse_mmap_entry(24, UINT64_MAX, 1), "wraps past 2^64");
    ACCEPTED(parse_mmap_entry(24, 0, UINT64_MAX));
    /* Length 0 at an unaligned base is a range like any other. */
    ACCEPTED(parse_mmap_entry(24, 0x12345, 0));
    assert_int_equal(info.mmap.count, 1);
}

static void test_mmap_entry_size_edges(void **state)
{
    (void)state;
    ACCEPTED(parse_mmap_entry(24, 0, 4096));
    ACCEPTED(parse_mmap_entry(32, 0, 4096));
    REFUSED(parse_mmap_entry(16, 0, 4096), "entry size below 24");
    REFUSED(parse_mmap_entry(28, 0, 4096), "not a multiple of 8");
}

struct fb_params {
    uint64_t address;
    uint32_t pitch, width, height;
    uint8_t bpp;
    uint8_t red_position, red_size, green_position, green_size, blue_position, blue_size;
};

static const struct fb_params fb_1024x768 = {.address = 0xfd000000,
                                             .pitch = 4096,
                                             .width = 1024,
                                             .height = 768,
                                             .bpp = 32,
                                             .red_position = 16,
                                             .red_size = 8,
                                             .green_position = 8,
                                             .green_size = 8,
                                             .blue_size = 8};

static const char *parse_rgb_framebuffer(struct fb_params fb)
{
    struct mb2_tag_framebuffer tag = {
        .framebuffer_addr = fb.address,
        .framebuffer_pitch = fb.pitch,
        .framebuffer_width = fb.width,
        .framebuffer_height = fb.height,
        .framebuffer_bpp = fb.bpp,
        .framebuffer_type = MB2_FRAMEBUFFER_RGB,
    };
    struct mb2_framebuffer_rgb rgb = {fb.red_position, fb.red_size,      fb.green_position,
                                      fb.green_size,   fb.blue_position, fb.blue_size};
    uint8_t payload[sizeof(tag) - 8 + sizeof(rgb)];

    memcpy(payload, (uint8_t *)&tag + 8, sizeof(tag) - 8);
    memcpy(payload + (sizeof(tag) - 8), &rgb, sizeof(rgb));
    return parse(MB2_TAG_FRAMEBUFFER, payload, sizeof(payload));
}

static void test_framebuffer_wrap_at_exactly_2_64(void **state)
{
    struct fb_params fb = fb_1024x768;
    const uint64_t size = 4096ULL * 768;

    (void)state;
    /* address + size, the end that screen.c computes, must fit in 64 bits. */
    fb.address = UINT64_MAX - size; /* ends at 2^64 - 1 */
    ACCEPTED(parse_rgb_framebuffer(fb));
    assert_int_equal(info.framebuffer.address, UINT64_MAX - size);
    fb.address = UINT64_MAX - size + 1; /* ends at exactly 2^64, which wraps to 0 */
    REFUSED(parse_rgb_framebuffer(fb), "wraps past 2^64");
    fb.address = UINT64_MAX;
    REFUSED(parse_rgb_framebuffer(fb), "wraps past 2^64");
}

static void test_framebuffer_pitch_exactly_a_line(void **state)
{
    struct fb_params fb = fb_1024x768;

    (void)state;
    ACCEPTED(parse_rgb_framebuffer(fb)); /* 1024 pixels of 4 bytes: 4096 */
    fb.pitch = 4095;
    REFUSED(parse_rgb_framebuffer(fb), "pitch shorter than a line");
    fb.bpp = 24;
    fb.pitch = 3072;
    ACCEPTED(parse_rgb_framebuffer(fb));
    fb.pitch = 3071;
    REFUSED(parse_rgb_framebuffer(fb), "pitch shorter than a line");
}

static void test_framebuffer_bpp_edges(void **state)
{
    struct fb_params fb = fb_1024x768;

    (void)state;
    fb.pitch = 8192;
    fb.bpp = 0;
    fb.red_size = fb.green_size = fb.blue_size = 0;
    fb.red_position = fb.green_position = 0;
    REFUSED(parse_rgb_framebuffer(fb), "bpp out of range");
    fb.bpp = 33;
    REFUSED(parse_rgb_framebuffer(fb), "bpp out of range");
    fb.bpp = 32;
    ACCEPTED(parse_rgb_framebuffer(fb));
    fb.bpp = 1;
    fb.blue_size = 1;
    ACCEPTED(parse_rgb_framebuffer(fb));
}

/* A colour field may end exactly at the pixel's last bit, in each of the three channels. */
static void test_colour_field_ends_at_the_last_bit(void **state)
{
    struct fb_params fb = fb_1024x768;

    (void)state;
    fb.red_position = 24;
    ACCEPTED(parse_rgb_framebuffer(fb));
    fb.red_position = 25;
    REFUSED(parse_rgb_framebuffer(fb), "colour field outside the pixel");
    fb = fb_1024x768;
    fb.green_position = 24;
    ACCEPTED(parse_rgb_framebuffer(fb));
    fb.green_size = 9;
    REFUSED(parse_rgb_framebuffer(fb), "colour field outside the pixel");
    fb = fb_1024x768;
    fb.blue_position = 24;
    ACCEPTED(parse_rgb_framebuffer(fb));
    fb.blue_position = 32;
    fb.blue_size = 0;
    ACCEPTED(parse_rgb_framebuffer(fb)); /* empty, at the end: still inside */
    fb.blue_position = 33;
    REFUSED(parse_rgb_framebuffer(fb), "colour field outside the pixel");
    /* position + size past 255 must not wrap in 8 bits. */
    fb = fb_1024x768;
    fb.red_position = 255;
    fb.red_size = 2;
    REFUSED(parse_rgb_framebuffer(fb), "colour field outside the pixel");
}

/* A string tag's NUL may be its last byte, but not the padding byte right after it. */
static void test_string_nul_at_the_tag_edge(void **state)
{
    (void)state;
    ACCEPTED(parse(MB2_TAG_CMDLINE, "abc", 4));
    assert_string_equal(info.cmdline, "abc");
    ACCEPTED(parse(MB2_TAG_CMDLINE, "", 1));
    REFUSED(parse(MB2_TAG_CMDLINE, "abcd", 4), "not NUL-terminated"); /* padding is zero */
    ACCEPTED(parse(MB2_TAG_LOADER_NAME, "GRUB 2.06", 10));
    REFUSED(parse(MB2_TAG_LOADER_NAME, "GRUB 2.06", 9), "not NUL-terminated");
}

static const char *parse_module(uint32_t start, uint32_t end, const char *name, uint32_t name_len)
{
    uint8_t payload[64];

    memcpy(payload, &start, 4);
    memcpy(payload + 4, &end, 4);
    memcpy(payload + 8, name, name_len);
    return parse(MB2_TAG_MODULE, payload, 8 + name_len);
}

static void test_module_edges(void **state)
{
    struct boot_module module;
    uint32_t cursor = 0;

    (void)state;
    ACCEPTED(parse_module(0x200001, 0x200001, "empty", 6)); /* length 0, unaligned */
    assert_true(boot_info_next_module(&info, &cursor, &module));
    assert_int_equal(module.end - module.start, 0);
    REFUSED(parse_module(0x200001, 0x200000, "backwards", 10), "ends before it starts");
    REFUSED(parse_module(0x1000, 0x2000, "initrd", 6), "name not NUL-terminated");
}

/* ACPI 2.0 RSDP of the given length field in a tag of room bytes, both checksums right. */
static const char *parse_rsdp_v2(uint32_t length, uint32_t room)
{
    uint8_t rsdp[64] = "RSD PTR ";
    uint8_t sum = 0;

    rsdp[15] = 2; /* revision */
    memcpy(rsdp + 20, &length, 4);
    for (int i = 0; i < 20; i++)
        sum = (uint8_t)(sum + rsdp[i]);
    rsdp[8] = (uint8_t)-sum;
    sum = 0;
    for (uint32_t i = 0; i < length && i < sizeof(rsdp); i++)
        sum = (uint8_t)(sum + rsdp[i]);
    rsdp[32] = (uint8_t)-sum;
    return parse(MB2_TAG_ACPI_NEW, rsdp, room);
}

static void test_rsdp_length_edges(void **state)
{
    (void)state;
    ACCEPTED(parse_rsdp_v2(36, 36));
    ACCEPTED(parse_rsdp_v2(40, 40));
    assert_int_equal(info.acpi_v2.length, 40);
    REFUSED(parse_rsdp_v2(37, 36), "RSDP length past its tag");
    REFUSED(parse_rsdp_v2(35, 36), "RSDP length below 36");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmap_wrap_at_exactly_2_64),
        cmocka_unit_test(test_mmap_entry_size_edges),
        cmocka_unit_test(test_framebuffer_wrap_at_exactly_2_64),
        cmocka_unit_test(test_framebuffer_pitch_exactly_a_line),
        cmocka_unit_test(test_framebuffer_bpp_edges),
        cmocka_unit_test(test_colour_field_ends_at_the_last_bit),
        cmocka_unit_test(test_string_nul_at_the_tag_edge),
        cmocka_unit_test(test_module_edges),
        cmocka_unit_test(test_rsdp_length_edges),
    };

    int failed = cmocka_run_group_tests_name("boot information bounds", tests, NULL, NULL);

    free(last_mbi);
    return failed;
}
