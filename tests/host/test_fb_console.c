/*
 * Host tests for the framebuffer console: it draws into a malloc'd "screen" whose lines are padded
 * past their last pixel, and the tests read the pixels back in each format.
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

/* Bytes past the last pixel of each line; the console must never write them. */
#define LINE_PADDING 36
#define PADDING_BYTE 0x5a
#define GARBAGE_BYTE 0xcc

struct format {
    const char *name;
    uint8_t bpp;
    uint8_t red_position, red_size, green_position, green_size, blue_position, blue_size;
    /* The same colours encoded by hand, to check the console's arithmetic. */
    uint32_t black, light_grey, white, blue, red;
};

static const struct format formats[] = {
    {"32 bpp x8r8g8b8", 32, 16, 8, 8, 8, 0, 8, 0, 0xaaaaaa, 0xffffff, 0x0000aa, 0xaa0000},
    {"32 bpp x8b8g8r8", 32, 0, 8, 8, 8, 16, 8, 0, 0xaaaaaa, 0xffffff, 0xaa0000, 0x0000aa},
    {"24 bpp r8g8b8", 24, 16, 8, 8, 8, 0, 8, 0, 0xaaaaaa, 0xffffff, 0x0000aa, 0xaa0000},
    {"24 bpp b8g8r8", 24, 0, 8, 8, 8, 16, 8, 0, 0xaaaaaa, 0xffffff, 0xaa0000, 0x0000aa},
    /* 0xaa is 21 in 5 bits and 42 in 6 bits. */
    {"16 bpp r5g6b5", 16, 11, 5, 5, 6, 0, 5, 0, 21u << 11 | 42u << 5 | 21, 0xffff, 21, 21u << 11},
    {"15 bpp x1r5g5b5", 15, 10, 5, 5, 5, 0, 5, 0, 21u << 10 | 21u << 5 | 21, 0x7fff, 21, 21u << 10},
    /* 10 bits per channel: 0xaa widens to 0x2aa, 0xff to 0x3ff. */
    {"32 bpp x2r10g10b10", 32, 20, 10, 10, 10, 0, 10, 0, 0x2aau << 20 | 0x2aau << 10 | 0x2aa,
     0x3fffffff, 0x2aa, 0x2aau << 20},
};

struct screen {
    uint8_t *memory;
    size_t size;
    struct framebuffer fb;
    unsigned int bytes_per_pixel;
    unsigned int scale;
    unsigned int cell_width, cell_height;
};

static struct screen screen_new(uint32_t width, uint32_t height, const struct format *format)
{
    struct screen s = {0};

    s.bytes_per_pixel = (format->bpp + 7u) / 8;
    s.fb.width = width;
    s.fb.height = height;
    s.fb.pitch = width * s.bytes_per_pixel + LINE_PADDING;
    s.fb.bpp = format->bpp;
    s.fb.red_position = format->red_position;
    s.fb.red_size = format->red_size;
    s.fb.green_position = format->green_position;
    s.fb.green_size = format->green_size;
    s.fb.blue_position = format->blue_position;
    s.fb.blue_size = format->blue_size;
    s.size = (size_t)s.fb.pitch * height;
    s.memory = malloc(s.size);
    assert_non_null(s.memory);
    s.fb.address = s.memory;

    /* Garbage where pixels go (the loader's picture), a marker in the padding. */
    for (uint32_t y = 0; y < height; y++) {
        uint8_t *line = s.memory + (size_t)y * s.fb.pitch;

        memset(line, GARBAGE_BYTE, (size_t)width * s.bytes_per_pixel);
        memset(line + (size_t)width * s.bytes_per_pixel, PADDING_BYTE, LINE_PADDING);
    }
    s.scale = fb_console_scale_for(width, height);
    s.cell_width = console_font.width * s.scale;
    s.cell_height = console_font.height * s.scale;
    return s;
}

static struct screen screen_init(uint32_t width, uint32_t height, const struct format *format)
{
    struct screen s = screen_new(width, height, format);

    assert_null(fb_console_init(&s.fb));
    return s;
}

static void screen_free(struct screen *s)
{
    free(s->memory);
}

static void print(const char *text)
{
    fb_console.write(&fb_console, text, strlen(text));
}

static uint32_t pixel(const struct screen *s, unsigned int x, unsigned int y)
{
    const uint8_t *p = s->memory + (size_t)y * s->fb.pitch + (size_t)x * s->bytes_per_pixel;
    uint32_t value = 0;

    for (unsigned int i = 0; i < s->bytes_per_pixel; i++)
        value |= (uint32_t)p[i] << (8 * i);
    return value;
}

static bool font_bit(unsigned char c, unsigned int x, unsigned int y)
{
    const uint8_t *glyph = font_glyph(&console_font, c);

    return glyph[y * console_font.bytes_per_row + x / 8] & (0x80 >> (x % 8));
}

/* True when the cell shows exactly c's glyph, scaled, in these colours. */
static bool cell_shows(const struct screen *s, unsigned int column, unsigned int row,
                       unsigned char c, uint32_t fg, uint32_t bg)
{
    for (unsigned int y = 0; y < s->cell_height; y++) {
        for (unsigned int x = 0; x < s->cell_width; x++) {
            bool set = font_bit(c, x / s->scale, y / s->scale);
            uint32_t got = pixel(s, column * s->cell_width + x, row * s->cell_height + y);

            if (got != (set ? fg : bg)) {
                print_message("# cell %u,%u pixel %u,%u: got %#x, want '%c' %s\n", column, row, x,
                              y, got, c, set ? "foreground" : "background");
                return false;
            }
        }
    }
    return true;
}

static bool padding_untouched(const struct screen *s)
{
    for (uint32_t y = 0; y < s->fb.height; y++) {
        const uint8_t *pad =
            s->memory + (size_t)y * s->fb.pitch + (size_t)s->fb.width * s->bytes_per_pixel;

        for (unsigned int i = 0; i < LINE_PADDING; i++) {
            if (pad[i] != PADDING_BYTE)
                return false;
        }
    }
    return true;
}

static bool area_is(const struct screen *s, unsigned int x0, unsigned int y0, unsigned int width,
                    unsigned int height, uint32_t value)
{
    for (unsigned int y = y0; y < y0 + height; y++) {
        for (unsigned int x = x0; x < x0 + width; x++) {
            if (pixel(s, x, y) != value)
                return false;
        }
    }
    return true;
}

static void test_scale_rule(void **state)
{
    (void)state;
    assert_int_equal(fb_console_scale_for(640, 480), 1);
    assert_int_equal(fb_console_scale_for(800, 600), 1);
    assert_int_equal(fb_console_scale_for(1024, 768), 1);
    assert_int_equal(fb_console_scale_for(1920, 1080), 1);
    assert_int_equal(fb_console_scale_for(2560, 1440), 1);
    assert_int_equal(fb_console_scale_for(2880, 1800), 2);
    assert_int_equal(fb_console_scale_for(3840, 2160), 2);
    assert_int_equal(fb_console_scale_for(5120, 2880), 3);
    /* The smaller direction decides: an ultra-wide screen is no taller than 1080p. */
    assert_int_equal(fb_console_scale_for(5120, 1440), 1);
    assert_int_equal(fb_console_scale_for(1, 1), 1);
    assert_int_equal(fb_console_scale_for(UINT32_MAX, UINT32_MAX), UINT32_MAX / 1920);
}

/* The grid is floor(width / cell) x floor(height / cell) at the chosen scale. */
static void test_grid_size(void **state)
{
    static const uint32_t sizes[][2] = {{640, 480}, {1024, 768}, {1920, 1080}, {3840, 2160}};

    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct screen s = screen_init(sizes[i][0], sizes[i][1], &formats[0]);

        assert_int_equal(fb_console_columns(), sizes[i][0] / s.cell_width);
        assert_int_equal(fb_console_rows(), sizes[i][1] / s.cell_height);
        screen_free(&s);
    }
    /* With Terminus 8x16: 4K at scale 2 is 240x67 cells, like 1080p at scale 1. */
    if (console_font.width == 8 && console_font.height == 16) {
        struct screen s = screen_init(3840, 2160, &formats[0]);

        assert_int_equal(fb_console_columns(), 240);
        assert_int_equal(fb_console_rows(), 67);
        screen_free(&s);
    }
}

static void test_init_clears_whole_screen(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        struct screen s = screen_init(203, 101, &formats[i]);

        assert_true(area_is(&s, 0, 0, 203, 101, formats[i].black));
        assert_true(padding_untouched(&s));
        screen_free(&s);
    }
}

/* Glyph pixels are set and cleared exactly, in every pixel format. */
static void test_glyphs_in_every_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        const struct format *f = &formats[i];
        struct screen s = screen_init(640, 480, f);

        print_message("# format %s\n", f->name);
        print("Ak");
        assert_true(cell_shows(&s, 0, 0, 'A', f->light_grey, f->black));
        assert_true(cell_shows(&s, 1, 0, 'k', f->light_grey, f->black));
        assert_true(
            area_is(&s, 2 * s.cell_width, 0, 640 - 2 * s.cell_width, s.cell_height, f->black));
        assert_true(area_is(&s, 0, s.cell_height, 640, 480 - s.cell_height, f->black));
        assert_true(padding_untouched(&s));
        screen_free(&s);
    }
}

/* A glyph that draws nothing would pass cell_shows for a blank screen: make sure 'A' has ink. */
static void test_glyph_has_ink(void **state)
{
    unsigned int set = 0;

    (void)state;
    for (unsigned int y = 0; y < console_font.height; y++) {
        for (unsigned int x = 0; x < console_font.width; x++)
            set += font_bit('A', x, y);
    }
    assert_true(set > 0);
    assert_true(set < (unsigned int)console_font.width * console_font.height);
}

static void test_colours_in_every_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        const struct format *f = &formats[i];
        struct screen s = screen_init(320, 200, f);

        print_message("# format %s\n", f->name);
        fb_console.set_colour(&fb_console, COLOUR_WHITE, COLOUR_BLUE);
        print("#");
        fb_console.set_colour(&fb_console, COLOUR_RED, COLOUR_BLACK);
        print("#");
        assert_true(cell_shows(&s, 0, 0, '#', f->white, f->blue));
        assert_true(cell_shows(&s, 1, 0, '#', f->red, f->black));
        screen_free(&s);
    }
}

/* At 4K every glyph pixel becomes a 2x2 block. */
static void test_scaled_glyph_at_4k(void **state)
{
    const struct format *f = &formats[0];
    struct screen s = screen_init(3840, 2160, f);

    (void)state;
    assert_int_equal(s.scale, 2);
    print("\n\tQ");
    assert_true(cell_shows(&s, 8, 1, 'Q', f->light_grey, f->black));
    assert_true(pixel(&s, 8 * s.cell_width, s.cell_height) == f->black);
    assert_true(padding_untouched(&s));
    screen_free(&s);
}

static void test_control_characters(void **state)
{
    const struct format *f = &formats[0];
    struct screen s = screen_init(640, 480, f);

    (void)state;
    print("ab\rc");       /* carriage return: 'c' overwrites 'a' */
    print("\nxy\bz");     /* backspace: 'z' overwrites 'y' */
    print("\n1\t2\t\t3"); /* tabs stop every 8 columns */
    assert_true(cell_shows(&s, 0, 0, 'c', f->light_grey, f->black));
    assert_true(cell_shows(&s, 1, 0, 'b', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 1, 'x', f->light_grey, f->black));
    assert_true(cell_shows(&s, 1, 1, 'z', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 2, '1', f->light_grey, f->black));
    assert_true(cell_shows(&s, 8, 2, '2', f->light_grey, f->black));
    assert_true(cell_shows(&s, 24, 2, '3', f->light_grey, f->black));
    assert_true(
        area_is(&s, s.cell_width, 2 * s.cell_height, 7 * s.cell_width, s.cell_height, f->black));
    screen_free(&s);
}

static void test_unknown_bytes_draw_fallback(void **state)
{
    const struct format *f = &formats[0];
    struct screen s = screen_init(640, 480, f);

    (void)state;
    print("\x01\xe9");
    assert_true(cell_shows(&s, 0, 0, 0xff, f->light_grey, f->black));
    assert_true(cell_shows(&s, 1, 0, 0xff, f->light_grey, f->black));
    screen_free(&s);
}

static void test_long_lines_wrap(void **state)
{
    const struct format *f = &formats[2];
    struct screen s = screen_init(640, 480, f);
    unsigned int columns = fb_console_columns();
    char line[512];

    (void)state;
    assert_true(columns + 1 < sizeof(line));
    memset(line, 'W', columns);
    line[columns] = 'X';
    line[columns + 1] = '\0';
    print(line);
    assert_true(cell_shows(&s, columns - 1, 0, 'W', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 1, 'X', f->light_grey, f->black));

    /* A line exactly as wide as the screen, then '\n': no empty line in between. */
    line[columns] = '\n';
    print("\n");
    print(line);
    print("Y");
    assert_true(cell_shows(&s, 0, 3, 'Y', f->light_grey, f->black));
    screen_free(&s);
}

/* Writing past the last row moves every pixel row up by one text row, unchanged. */
static void test_scroll_moves_rows(void **state)
{
    const struct format *f = &formats[4];
    struct screen s = screen_init(100, 3 * console_font.height + 5, f);
    unsigned int rows = fb_console_rows();
    size_t row_bytes = (size_t)s.cell_height * s.fb.pitch;
    uint8_t *before = malloc(2 * row_bytes);

    (void)state;
    assert_non_null(before);
    assert_int_equal(rows, 3);
    print("first\nsecond\nthird");
    fb_console.set_colour(&fb_console, COLOUR_YELLOW, COLOUR_BLACK);
    memcpy(before, s.memory + row_bytes, 2 * row_bytes);

    print("\nfourth");
    assert_memory_equal(s.memory, before, 2 * row_bytes);
    assert_true(cell_shows(&s, 0, 0, 's', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 1, 't', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 2, 'f', 0xffe0 | 0x0a, f->black)); /* yellow: 31, 63, 10 */
    assert_true(area_is(&s, 6 * s.cell_width, 2 * s.cell_height, 100 - 6 * s.cell_width,
                        s.cell_height, f->black));
    /* The spare lines below the last text row are not part of the text area. */
    assert_true(area_is(&s, 0, 3 * s.cell_height, 100, 5, f->black));
    assert_true(padding_untouched(&s));
    free(before);
    screen_free(&s);
}

/*
 * The cursor, once asked for, is an underline two font rows high in the next character's colour,
 * on the cell where that character goes; it moves with the text and leaves no trace behind.
 */
static bool cursor_on(const struct screen *s, unsigned int column, unsigned int row, uint32_t fg,
                      uint32_t bg)
{
    unsigned int x = column * s->cell_width, y = row * s->cell_height;
    unsigned int thickness = 2 * s->scale;

    return area_is(s, x, y, s->cell_width, s->cell_height - thickness, bg) &&
           area_is(s, x, y + s->cell_height - thickness, s->cell_width, thickness, fg);
}

static void test_cursor_follows_the_text(void **state)
{
    const struct format *f = &formats[0];
    struct screen s = screen_init(640, 480, f);
    unsigned int columns = fb_console_columns();
    char line[512];

    (void)state;
    print("ab");
    assert_true(cell_shows(&s, 2, 0, ' ', f->light_grey, f->black)); /* off until asked for */
    fb_console.set_cursor(&fb_console, true);
    assert_true(cursor_on(&s, 2, 0, f->light_grey, f->black));
    print("c");
    assert_true(cell_shows(&s, 2, 0, 'c', f->light_grey, f->black));
    assert_true(cursor_on(&s, 3, 0, f->light_grey, f->black));
    print("\b"); /* under the 'c' that the next character replaces */
    assert_true(area_is(&s, 2 * s.cell_width, s.cell_height - 2 * s.scale, s.cell_width,
                        2 * s.scale, f->light_grey));
    assert_true(cell_shows(&s, 3, 0, ' ', f->light_grey, f->black));
    print("\n");
    assert_true(cell_shows(&s, 2, 0, 'c', f->light_grey, f->black));
    assert_true(cursor_on(&s, 0, 1, f->light_grey, f->black));

    /* A full line: the last column is text, and no cell is marked until the text wraps. */
    memset(line, 'x', columns);
    line[columns] = '\0';
    print(line);
    assert_true(cell_shows(&s, columns - 1, 1, 'x', f->light_grey, f->black));
    assert_true(cell_shows(&s, 0, 2, ' ', f->light_grey, f->black));
    fb_console.set_colour(&fb_console, COLOUR_WHITE, COLOUR_BLACK);
    print("y");
    assert_true(cell_shows(&s, 0, 2, 'y', f->white, f->black));
    assert_true(cursor_on(&s, 1, 2, f->white, f->black));

    fb_console.set_cursor(&fb_console, false);
    assert_true(cell_shows(&s, 1, 2, ' ', f->white, f->black));
    assert_true(padding_untouched(&s));
    screen_free(&s);
}

static void test_refuses_what_it_cannot_draw(void **state)
{
    struct screen s = screen_new(640, 480, &formats[0]);
    struct framebuffer fb;

    (void)state;
    fb = s.fb;
    fb.bpp = 8;
    assert_non_null(fb_console_init(&fb));
    fb = s.fb;
    fb.address = NULL;
    assert_non_null(fb_console_init(&fb));
    fb = s.fb;
    fb.bpp = 24;
    fb.red_position = 24; /* bits 24..31 do not exist in a 24-bit pixel */
    assert_non_null(fb_console_init(&fb));
    fb = s.fb;
    fb.green_size = 0;
    assert_non_null(fb_console_init(&fb));
    fb = s.fb;
    fb.pitch = 640 * 4 - 1;
    assert_non_null(fb_console_init(&fb));
    fb = s.fb;
    fb.width = console_font.width - 1;
    assert_non_null(fb_console_init(&fb));

    /* After a refusal the console stays silent instead of drawing with bad numbers. */
    print("nothing");
    assert_int_equal(s.memory[0], GARBAGE_BYTE);
    screen_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_rule),
        cmocka_unit_test(test_grid_size),
        cmocka_unit_test(test_init_clears_whole_screen),
        cmocka_unit_test(test_glyph_has_ink),
        cmocka_unit_test(test_glyphs_in_every_format),
        cmocka_unit_test(test_colours_in_every_format),
        cmocka_unit_test(test_scaled_glyph_at_4k),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_unknown_bytes_draw_fallback),
        cmocka_unit_test(test_long_lines_wrap),
        cmocka_unit_test(test_scroll_moves_rows),
        cmocka_unit_test(test_cursor_follows_the_text),
        cmocka_unit_test(test_refuses_what_it_cannot_draw),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
