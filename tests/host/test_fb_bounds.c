/*
 * Boundary cases of the framebuffer console: screens of exactly one glyph and one pixel less,
 * pixel formats at the edges of what it accepts, the pitch that exactly holds a line, scale
 * rounding at exactly one half, and the pixels right of the last text column after a scroll.
 * Each screen is malloc'd to exactly pitch * height bytes, so AddressSanitizer sees a write past.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/fb_console.h"
#include "kernel/font.h"
#include "tests/host/fake_framebuffer.h"

static uint8_t *memory;

/* A 32 bpp x8r8g8b8 screen with no padding after its lines. */
static struct framebuffer screen(uint32_t width, uint32_t height)
{
    struct framebuffer fb = fake_xrgb_framebuffer(NULL, width, height, width * 4);

    free(memory);
    memory = malloc((size_t)fb.pitch * height);
    assert_non_null(memory);
    memset(memory, 0xcc, (size_t)fb.pitch * height);
    fb.address = memory;
    return fb;
}

static uint32_t pixel(const struct framebuffer *fb, uint32_t x, uint32_t y)
{
    uint32_t v;

    memcpy(&v, (uint8_t *)fb->address + (size_t)y * fb->pitch + (size_t)x * 4, 4);
    return v;
}

static void write_text(const char *text)
{
    fb_console.write(&fb_console, text, strlen(text));
}

static void test_screen_of_exactly_one_glyph(void **state)
{
    struct framebuffer fb;

    (void)state;
    fb = screen(console_font.width, console_font.height);
    assert_null(fb_console_init(&fb));
    assert_int_equal(fb_console_columns(), 1);
    assert_int_equal(fb_console_rows(), 1);
    write_text("ab\ncd"); /* wraps and scrolls inside one cell */

    fb = screen(console_font.width - 1, console_font.height);
    assert_string_equal(fb_console_init(&fb), "the screen is smaller than one character");
    fb = screen(console_font.width, console_font.height - 1);
    assert_string_equal(fb_console_init(&fb), "the screen is smaller than one character");
}

static void test_bits_per_pixel_edges(void **state)
{
    static const uint8_t refused[] = {0, 8, 14, 17, 23, 25, 31};
    struct framebuffer fb;

    (void)state;
    for (size_t i = 0; i < sizeof(refused); i++) {
        fb = screen(64, 64);
        fb.bpp = refused[i];
        fb.red_position = fb.green_position = fb.blue_position = 0;
        fb.red_size = fb.green_size = fb.blue_size = 1;
        assert_string_equal(fb_console_init(&fb),
                            "only 15, 16, 24 and 32 bits per pixel can be drawn");
    }
    fb = screen(64, 64);
    fb.bpp = 24;
    assert_null(fb_console_init(&fb));
}

/* Fields up to 16 bits wide, ending at the pixel's last bit, are drawn; one bit more is not. */
static void test_colour_field_widths(void **state)
{
    const char *refusal = "a colour field lies outside the pixel or is wider than 16 bits";
    struct framebuffer fb;

    (void)state;
    fb = screen(64, 64);
    fb.red_position = 16;
    fb.red_size = 16;
    fb.green_size = 16;
    fb.green_position = 0;
    fb.blue_size = 1;
    fb.blue_position = 31;
    assert_null(fb_console_init(&fb));
    /* Cleared to black, then a white block: 16 bits of all ones in red, 1 in blue. */
    assert_int_equal(pixel(&fb, 63, 63), 0);
    fb_console.set_colour(&fb_console, COLOUR_WHITE, COLOUR_WHITE);
    write_text(" ");
    assert_int_equal(pixel(&fb, 0, 0), 0xffffffffu);

    fb.red_size = 17;
    fb.red_position = 15;
    assert_string_equal(fb_console_init(&fb), refusal);
    fb.red_size = 16;
    fb.red_position = 17;
    assert_string_equal(fb_console_init(&fb), refusal);
    fb.red_position = 16;
    fb.blue_size = 0;
    assert_string_equal(fb_console_init(&fb), refusal);
    fb.blue_size = 1;
    fb.blue_position = 32;
    assert_string_equal(fb_console_init(&fb), refusal);
    fb.blue_position = 31;
    fb.green_size = 17;
    assert_string_equal(fb_console_init(&fb), refusal);
}

static void test_pitch_exactly_a_line(void **state)
{
    struct framebuffer fb;

    (void)state;
    fb = screen(64, 64);
    assert_null(fb_console_init(&fb)); /* pitch = 64 * 4 */
    fb.pitch--;
    assert_string_equal(fb_console_init(&fb), "the pitch is shorter than a line of pixels");
}

/* The scale is the nearest whole number: exactly one and a half rounds up. */
static void test_scale_rounds_half_up(void **state)
{
    (void)state;
    assert_int_equal(fb_console_scale_for(2880, 2160), 2);
    assert_int_equal(fb_console_scale_for(2879, 2160), 1);
    assert_int_equal(fb_console_scale_for(3840, 1620), 2);
    assert_int_equal(fb_console_scale_for(3840, 1619), 1);
}

/*
 * A screen 5 pixels wider than its two text columns. After the background changes and the text
 * scrolls, the new last row is the new background all the way to the right edge, not only as
 * far as the last column.
 */
/*
 * The margin right of the last text column belongs to no cell: a scroll redraws the cells, up to
 * and including the last column, and never writes the margin (it stays the black the screen was
 * cleared to at start). A scroll that drew one column too many would write into it.
 */
static void test_right_margin_after_a_scroll(void **state)
{
    const uint32_t blue = 0x0000aa;
    uint32_t text_width = 2 * console_font.width;
    uint32_t width = text_width + 5, height = 2 * console_font.height;
    struct framebuffer fb;

    (void)state;
    fb = screen(width, height);
    assert_null(fb_console_init(&fb));
    assert_int_equal(fb_console_columns(), 2);
    fb_console.set_colour(&fb_console, COLOUR_WHITE, COLOUR_BLUE);
    write_text("a\nb\n");
    for (uint32_t y = console_font.height; y < height; y++) {
        for (uint32_t x = 0; x < text_width; x++)
            assert_int_equal(pixel(&fb, x, y), blue);
        for (uint32_t x = text_width; x < width; x++)
            assert_int_equal(pixel(&fb, x, y), 0);
    }
    assert_int_equal(pixel(&fb, width - 1, 0), 0);
}

static int teardown(void **state)
{
    (void)state;
    free(memory);
    memory = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_of_exactly_one_glyph),
        cmocka_unit_test(test_bits_per_pixel_edges),
        cmocka_unit_test(test_colour_field_widths),
        cmocka_unit_test(test_pitch_exactly_a_line),
        cmocka_unit_test(test_scale_rounds_half_up),
        cmocka_unit_test(test_right_margin_after_a_scroll),
    };

    return cmocka_run_group_tests_name("framebuffer console bounds", tests, NULL, teardown);
}
