/*
 * Host tests of boot_info_find_framebuffer: boot information that boot_info_parse refuses still
 * gives up its framebuffer tag when the tags up to it are sound and the tag keeps every rule, so
 * that kmain can show the refusal on the screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/boot_info.h"
#include "kernel/multiboot2.h"

#define FB_TAG_SIZE (sizeof(struct mb2_tag_framebuffer) + sizeof(struct mb2_framebuffer_rgb))

static _Alignas(8) uint8_t mbi[256];
static uint32_t end;

static void put_u32(uint32_t offset, uint32_t value)
{
    memcpy(mbi + offset, &value, sizeof(value));
}

static void start(void)
{
    memset(mbi, 0, sizeof(mbi));
    end = sizeof(struct mb2_info_header);
}

/* A tag of `size` bytes (header included) with the given type, padded to 8. */
static uint32_t add_tag(uint32_t type, uint32_t size)
{
    uint32_t at = end;

    put_u32(at, type);
    put_u32(at + 4, size);
    end += (size + 7) & ~7u;
    return at;
}

/* What GRUB passes on a UEFI PC: 1280x800, 32 bpp, x8r8g8b8. */
static void add_framebuffer(uint32_t pitch)
{
    uint32_t at = add_tag(MB2_TAG_FRAMEBUFFER, FB_TAG_SIZE);
    struct mb2_tag_framebuffer tag = {
        .type = MB2_TAG_FRAMEBUFFER,
        .size = FB_TAG_SIZE,
        .framebuffer_addr = 0x80000000,
        .framebuffer_pitch = pitch,
        .framebuffer_width = 1280,
        .framebuffer_height = 800,
        .framebuffer_bpp = 32,
        .framebuffer_type = MB2_FRAMEBUFFER_RGB,
    };
    struct mb2_framebuffer_rgb rgb = {16, 8, 8, 8, 0, 8};

    memcpy(mbi + at, &tag, sizeof(tag));
    memcpy(mbi + at + sizeof(tag), &rgb, sizeof(rgb));
}

static void finish(void)
{
    add_tag(MB2_TAG_END, 8);
    put_u32(0, end);
}

static void test_framebuffer_before_a_broken_tag_is_found(void **state)
{
    struct boot_info info;
    struct boot_info_error error;
    struct boot_framebuffer fb = {0};

    (void)state;
    start();
    add_framebuffer(1280 * 4);
    add_tag(1, 4); /* a command line tag below the minimum size: the parser refuses it */
    finish();
    assert_false(boot_info_parse(mbi, 0x10000, &info, &error));
    assert_true(boot_info_find_framebuffer(mbi, &fb));
    assert_int_equal(fb.address, 0x80000000);
    assert_int_equal(fb.width, 1280);
    assert_int_equal(fb.height, 800);
    assert_int_equal(fb.pitch, 1280 * 4);
    assert_int_equal(fb.bpp, 32);
    assert_int_equal(fb.type, MB2_FRAMEBUFFER_RGB);
    assert_int_equal(fb.red_position, 16);
    assert_int_equal(fb.blue_size, 8);
}

static void test_framebuffer_after_a_sound_tag_is_found(void **state)
{
    struct boot_framebuffer fb = {0};

    (void)state;
    start();
    add_tag(2, 12); /* a loader name tag: stepped over */
    add_framebuffer(1280 * 4);
    finish();
    assert_true(boot_info_find_framebuffer(mbi, &fb));
    assert_int_equal(fb.width, 1280);
}

static void test_framebuffer_behind_a_broken_header_is_not_reached(void **state)
{
    struct boot_framebuffer fb = {0};

    (void)state;
    start();
    add_tag(1, 4); /* a size below 8: the next tag cannot be found */
    add_framebuffer(1280 * 4);
    finish();
    assert_false(boot_info_find_framebuffer(mbi, &fb));
}

static void test_framebuffer_tag_that_breaks_a_rule_is_not_used(void **state)
{
    struct boot_framebuffer fb = {0};

    (void)state;
    start();
    add_framebuffer(1280 * 4 - 1); /* one byte short of a line */
    finish();
    assert_false(boot_info_find_framebuffer(mbi, &fb));
    /* The shortest pitch that holds a line is fine. */
    start();
    add_framebuffer(1280 * 4);
    finish();
    assert_true(boot_info_find_framebuffer(mbi, &fb));
}

static void test_no_framebuffer_tag_finds_nothing(void **state)
{
    struct boot_framebuffer fb = {0};

    (void)state;
    start();
    finish();
    assert_false(boot_info_find_framebuffer(mbi, &fb));
    /* A total size past the 1 MiB the parser accepts is not walked at all. */
    start();
    add_framebuffer(1280 * 4);
    finish();
    put_u32(0, BOOT_INFO_MAX_SIZE + 8);
    assert_false(boot_info_find_framebuffer(mbi, &fb));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framebuffer_before_a_broken_tag_is_found),
        cmocka_unit_test(test_framebuffer_after_a_sound_tag_is_found),
        cmocka_unit_test(test_framebuffer_behind_a_broken_header_is_not_reached),
        cmocka_unit_test(test_framebuffer_tag_that_breaks_a_rule_is_not_used),
        cmocka_unit_test(test_no_framebuffer_tag_finds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
