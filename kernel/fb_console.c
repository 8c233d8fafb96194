/*
 * The framebuffer text console: draws console_font glyphs, scaled by a whole number, into a grid
 * of character cells starting at the top-left pixel, and scrolls by moving pixel rows up.
 */
#include "kernel/fb_console.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"
#include "kernel/font.h"
#include "kernel/string.h"

#define TAB_WIDTH 8

/* Screen offsets are computed as (size_t)y * pitch: this must not wrap for any 32-bit y, pitch. */
_Static_assert(sizeof(size_t) >= sizeof(uint64_t), "size_t must hold pitch * height");

/* The 16 colours as 8-bit red, green, blue: the standard EGA/VGA text palette. */
static const uint8_t palette[16][3] = {
    [COLOUR_BLACK] = {0x00, 0x00, 0x00},       [COLOUR_BLUE] = {0x00, 0x00, 0xaa},
    [COLOUR_GREEN] = {0x00, 0xaa, 0x00},       [COLOUR_CYAN] = {0x00, 0xaa, 0xaa},
    [COLOUR_RED] = {0xaa, 0x00, 0x00},         [COLOUR_MAGENTA] = {0xaa, 0x00, 0xaa},
    [COLOUR_BROWN] = {0xaa, 0x55, 0x00},       [COLOUR_LIGHT_GREY] = {0xaa, 0xaa, 0xaa},
    [COLOUR_DARK_GREY] = {0x55, 0x55, 0x55},   [COLOUR_LIGHT_BLUE] = {0x55, 0x55, 0xff},
    [COLOUR_LIGHT_GREEN] = {0x55, 0xff, 0x55}, [COLOUR_LIGHT_CYAN] = {0x55, 0xff, 0xff},
    [COLOUR_LIGHT_RED] = {0xff, 0x55, 0x55},   [COLOUR_LIGHT_MAGENTA] = {0xff, 0x55, 0xff},
    [COLOUR_YELLOW] = {0xff, 0xff, 0x55},      [COLOUR_WHITE] = {0xff, 0xff, 0xff},
};

static struct {
    bool ready;
    struct framebuffer fb;
    unsigned int bytes_per_pixel;
    unsigned int scale;
    unsigned int cell_width, cell_height; /* pixels */
    unsigned int columns, rows;
    /* Where the next character goes; column == columns means "wrap before the next one". */
    unsigned int column, row;
    uint32_t foreground, background; /* already in the framebuffer's pixel format */
} con;

static unsigned int nearest_quotient(uint32_t a, uint32_t b)
{
    return a / b + (a % b * 2 >= b);
}

unsigned int fb_console_scale_for(uint32_t width, uint32_t height)
{
    unsigned int by_width = nearest_quotient(width, FB_CONSOLE_SCALE_STEP_WIDTH);
    unsigned int by_height = nearest_quotient(height, FB_CONSOLE_SCALE_STEP_HEIGHT);
    unsigned int scale = by_width < by_height ? by_width : by_height;

    return scale ? scale : 1;
}

unsigned int fb_console_columns(void)
{
    return con.columns;
}

unsigned int fb_console_rows(void)
{
    return con.rows;
}

/* Fits an 8-bit intensity into a channel of `size` bits, then moves it to its place. */
static uint32_t channel(uint8_t value, uint8_t position, uint8_t size)
{
    uint32_t bits;

    if (size <= 8)
        bits = value >> (8 - size);
    else /* Wider than 8 bits: repeat the top bits below, so 0xff becomes all ones. */
        bits = (uint32_t)value << (size - 8) | value >> (16 - size);
    return bits << position;
}

static uint32_t encode(enum console_colour colour)
{
    const uint8_t *rgb = palette[colour & 15];
    const struct framebuffer *fb = &con.fb;

    return channel(rgb[0], fb->red_position, fb->red_size) |
           channel(rgb[1], fb->green_position, fb->green_size) |
           channel(rgb[2], fb->blue_position, fb->blue_size);
}

/* A channel this console can draw: inside the pixel, and 1 to 16 bits wide (see channel()). */
static bool drawable_field(uint8_t position, uint8_t size, uint8_t bpp)
{
    return size >= 1 && size <= 16 && colour_field_fits(position, size, bpp);
}

static uint8_t *pixel_address(unsigned int x, unsigned int y)
{
    return (uint8_t *)con.fb.address + (size_t)y * con.fb.pitch + (size_t)x * con.bytes_per_pixel;
}

/*
 * Pixels are stored little-endian (Multiboot2 spec 3.6.12 gives field positions as bit numbers
 * of the pixel value). Byte by byte, because a 24-bit pixel has no integer type and a pitch need
 * not keep wider stores aligned.
 */
static uint8_t *put_pixel(uint8_t *p, uint32_t value)
{
    for (unsigned int i = 0; i < con.bytes_per_pixel; i++)
        *p++ = (uint8_t)(value >> (8 * i));
    return p;
}

static void fill_rect(unsigned int x, unsigned int y, unsigned int width, unsigned int height,
                      uint32_t value)
{
    for (unsigned int line = y; line < y + height; line++) {
        uint8_t *p = pixel_address(x, line);

        for (unsigned int i = 0; i < width; i++)
            p = put_pixel(p, value);
    }
}

static void draw_glyph(unsigned int column, unsigned int row, unsigned char c)
{
    const struct font *font = &console_font;
    const uint8_t *glyph = font_glyph(font, c);
    unsigned int x = column * con.cell_width;
    unsigned int y = row * con.cell_height;

    for (unsigned int gy = 0; gy < font->height; gy++) {
        const uint8_t *bits = glyph + gy * font->bytes_per_row;

        /* Each glyph row becomes `scale` identical pixel rows, each glyph pixel `scale` wide. */
        for (unsigned int sy = 0; sy < con.scale; sy++) {
            uint8_t *p = pixel_address(x, y + gy * con.scale + sy);

            for (unsigned int gx = 0; gx < font->width; gx++) {
                bool set = bits[gx / 8] & (0x80 >> (gx % 8));
                uint32_t value = set ? con.foreground : con.background;

                for (unsigned int sx = 0; sx < con.scale; sx++)
                    p = put_pixel(p, value);
            }
        }
    }
}

/* Moves every text row up one: one memmove of whole scan lines, then a blank last row. */
static void scroll(void)
{
    size_t row_bytes = (size_t)con.cell_height * con.fb.pitch;
    uint8_t *top = con.fb.address;

    memmove(top, top + row_bytes, (con.rows - 1) * row_bytes);
    fill_rect(0, (con.rows - 1) * con.cell_height, con.fb.width, con.cell_height, con.background);
}

static void new_line(void)
{
    con.column = 0;
    if (con.row + 1 < con.rows)
        con.row++;
    else
        scroll();
}

static void put_char(unsigned char c)
{
    switch (c) {
    case '\n':
        new_line();
        return;
    case '\r':
        con.column = 0;
        return;
    case '\b':
        /* Like a terminal: step back over the last character without erasing it. */
        if (con.column > 0)
            con.column--;
        return;
    case '\t':
        if (con.column >= con.columns)
            new_line();
        con.column = (con.column / TAB_WIDTH + 1) * TAB_WIDTH;
        if (con.column > con.columns)
            con.column = con.columns;
        return;
    }
    /* Wrap only when another character arrives, so a line that exactly fills the width and is
     * followed by '\n' does not leave an empty line behind. */
    if (con.column >= con.columns)
        new_line();
    draw_glyph(con.column, con.row, c);
    con.column++;
}

static void fb_write(struct console *console, const char *text, size_t len)
{
    (void)console;
    if (!con.ready)
        return;
    for (size_t i = 0; i < len; i++)
        put_char((unsigned char)text[i]);
}

static void fb_set_colour(struct console *console, enum console_colour fg, enum console_colour bg)
{
    (void)console;
    if (!con.ready)
        return;
    con.foreground = encode(fg);
    con.background = encode(bg);
}

struct console fb_console = {
    .name = "framebuffer",
    .write = fb_write,
    .set_colour = fb_set_colour,
};

const char *fb_console_init(const struct framebuffer *fb)
{
    unsigned int bytes_per_pixel = (fb->bpp + 7u) / 8;
    unsigned int scale = fb_console_scale_for(fb->width, fb->height);
    unsigned int cell_width = console_font.width * scale;
    unsigned int cell_height = console_font.height * scale;

    con.ready = false;
    if (!fb->address)
        return "the framebuffer has no address";
    if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
        return "only 15, 16, 24 and 32 bits per pixel can be drawn";
    if (!drawable_field(fb->red_position, fb->red_size, fb->bpp) ||
        !drawable_field(fb->green_position, fb->green_size, fb->bpp) ||
        !drawable_field(fb->blue_position, fb->blue_size, fb->bpp))
        return "a colour field lies outside the pixel or is wider than 16 bits";
    if (fb->pitch < (uint64_t)fb->width * bytes_per_pixel)
        return "the pitch is shorter than a line of pixels";
    if (fb->width < cell_width || fb->height < cell_height)
        return "the screen is smaller than one character";

    con.fb = *fb;
    con.bytes_per_pixel = bytes_per_pixel;
    con.scale = scale;
    con.cell_width = cell_width;
    con.cell_height = cell_height;
    con.columns = fb->width / cell_width;
    con.rows = fb->height / cell_height;
    con.column = 0;
    con.row = 0;
    con.foreground = encode(COLOUR_LIGHT_GREY);
    con.background = encode(COLOUR_BLACK);
    fill_rect(0, 0, fb->width, fb->height, con.background);
    con.ready = true;
    return NULL;
}
