/*
 * The framebuffer text console: draws console_font glyphs, scaled by a whole number, into a grid
 * of character cells starting at the top-left pixel. It keeps the grid in RAM and only ever
 * writes video memory: scrolling redraws the cells that change.
 */
#include "kernel/fb_console.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"
#include "kernel/font.h"

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

/*
 * The text on the screen lives here, in RAM: one cell per character, a byte for the character and
 * one for its colours (foreground in the low nibble). Video memory is uncached or write-combined,
 * and reading it back crosses the bus at a few MB/s; so the console only ever writes it, and
 * scrolling redraws from these cells. Screens with more cells than this use the top-left part.
 */
#define MAX_COLUMNS 512
#define MAX_ROWS    128
/*
 * A cell's pixel row is built in RAM before it is stored: room for 64 pixels of 4 bytes, so an
 * 8-pixel-wide font is drawn at most 8 times larger (16K screens and beyond stay at that).
 */
#define MAX_CELL_BYTES 256

struct cell {
    uint8_t c;
    uint8_t colours;
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
    uint8_t colours; /* for the next character: foreground | background << 4 */
    /* The drawn cursor (a framebuffer has no hardware one): wanted, and the cell it is on. */
    bool cursor_wanted, cursor_shown;
    unsigned int cursor_column, cursor_row;
    uint32_t pixel[16]; /* each colour in the framebuffer's pixel format */
    struct cell cells[MAX_ROWS][MAX_COLUMNS];
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
 * of the pixel value), here into a buffer in RAM; a 24-bit pixel has no integer type of its own.
 */
static uint8_t *put_pixel(uint8_t *p, uint32_t value)
{
    for (unsigned int i = 0; i < con.bytes_per_pixel; i++)
        *p++ = (uint8_t)(value >> (8 * i));
    return p;
}

/*
 * Copies n bytes from RAM to video memory with the widest aligned stores there are: 64-bit ones
 * in the middle, narrower ones at unaligned edges (a pitch need not keep lines 8-byte aligned).
 * Volatile, so every store happens as written and the compiler adds no read of video memory.
 */
static void store(uint8_t *dest, const uint8_t *from, size_t n)
{
    /* An address, not a pointer: each store below is to an address aligned for its width. */
    uintptr_t to = (uintptr_t)dest;

    while (n > 0 && to % 8 != 0) {
        if (n >= 4 && to % 4 == 0) {
            uint32_t v;
            __builtin_memcpy(&v, from, sizeof(v));
            *(volatile uint32_t *)to = v;
            to += 4, from += 4, n -= 4;
        } else {
            *(volatile uint8_t *)to = *from;
            to++, from++, n--;
        }
    }
    for (; n >= 8; to += 8, from += 8, n -= 8) {
        uint64_t v;
        __builtin_memcpy(&v, from, sizeof(v));
        *(volatile uint64_t *)to = v;
    }
    if (n >= 4) {
        uint32_t v;
        __builtin_memcpy(&v, from, sizeof(v));
        *(volatile uint32_t *)to = v;
        to += 4, from += 4, n -= 4;
    }
    for (; n > 0; to++, from++, n--)
        *(volatile uint8_t *)to = *from;
}

/* Fills a rectangle with one colour, from a RAM buffer of up to 64 pixels. */
static void fill_rect(unsigned int x, unsigned int y, unsigned int width, unsigned int height,
                      uint32_t value)
{
    uint8_t run[MAX_CELL_BYTES];
    unsigned int run_pixels = sizeof(run) / 4;
    uint8_t *p = run;

    for (unsigned int i = 0; i < run_pixels; i++)
        p = put_pixel(p, value);
    for (unsigned int line = y; line < y + height; line++) {
        for (unsigned int done = 0; done < width; done += run_pixels) {
            unsigned int n = width - done < run_pixels ? width - done : run_pixels;
            store(pixel_address(x + done, line), run, (size_t)n * con.bytes_per_pixel);
        }
    }
}

/* Draws one cell from the grid: each glyph row is built in RAM, then stored `scale` times. */
static void draw_cell(unsigned int column, unsigned int row)
{
    const struct font *font = &console_font;
    const struct cell *cell = &con.cells[row][column];
    const uint8_t *glyph = font_glyph(font, cell->c);
    uint32_t fg = con.pixel[cell->colours & 15], bg = con.pixel[cell->colours >> 4];
    unsigned int x = column * con.cell_width;
    unsigned int y = row * con.cell_height;
    uint8_t line[MAX_CELL_BYTES];

    for (unsigned int gy = 0; gy < font->height; gy++) {
        const uint8_t *bits = glyph + gy * font->bytes_per_row;
        uint8_t *p = line;

        for (unsigned int gx = 0; gx < font->width; gx++) {
            uint32_t value = (bits[gx / 8] & (0x80 >> (gx % 8))) ? fg : bg;

            for (unsigned int sx = 0; sx < con.scale; sx++)
                p = put_pixel(p, value);
        }
        for (unsigned int sy = 0; sy < con.scale; sy++)
            store(pixel_address(x, y + gy * con.scale + sy), line, (size_t)(p - line));
    }
}

/* A cell's colour byte: the foreground in the low nibble, the background in the high one. */
static uint8_t colours_of(enum console_colour fg, enum console_colour bg)
{
    return (uint8_t)((unsigned int)(fg & 15) | (unsigned int)(bg & 15) << 4);
}

/* Puts c into a cell and draws it, unless the cell shows exactly that already. */
static void set_cell(unsigned int column, unsigned int row, struct cell cell)
{
    struct cell *old = &con.cells[row][column];

    if (old->c == cell.c && old->colours == cell.colours)
        return;
    *old = cell;
    draw_cell(column, row);
}

/*
 * Moves every text row up one. Each cell takes the one below it and is redrawn only where that
 * differs, so blank areas and repeated text cost nothing; the last row becomes blank.
 */
static void scroll(void)
{
    struct cell blank = {' ', con.colours};

    for (unsigned int row = 0; row + 1 < con.rows; row++)
        for (unsigned int column = 0; column < con.columns; column++)
            set_cell(column, row, con.cells[row + 1][column]);
    for (unsigned int column = 0; column < con.columns; column++)
        set_cell(column, con.rows - 1, blank);
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
    set_cell(con.column, con.row, (struct cell){c, con.colours});
    con.column++;
}

/*
 * The cursor: an underline, two font rows high, in the colour of the next character, where that
 * character will go. Erasing it redraws the cell from the grid; video memory is never read.
 */
static void hide_cursor(void)
{
    if (con.cursor_shown)
        draw_cell(con.cursor_column, con.cursor_row);
    con.cursor_shown = false;
}

static void show_cursor(void)
{
    const unsigned int thickness = 2 * con.scale;

    /* Not when the next character wraps: there is no cell to mark yet. */
    if (!con.cursor_wanted || con.column >= con.columns)
        return;
    fill_rect(con.column * con.cell_width, (con.row + 1) * con.cell_height - thickness,
              con.cell_width, thickness, con.pixel[con.colours & 15]);
    con.cursor_shown = true;
    con.cursor_column = con.column;
    con.cursor_row = con.row;
}

static void fb_write(struct console *console, const char *text, size_t len)
{
    (void)console;
    if (!con.ready)
        return;
    hide_cursor();
    for (size_t i = 0; i < len; i++)
        put_char((unsigned char)text[i]);
    show_cursor();
}

static void fb_set_colour(struct console *console, enum console_colour fg, enum console_colour bg)
{
    (void)console;
    if (!con.ready)
        return;
    con.colours = colours_of(fg, bg);
}

static void fb_set_cursor(struct console *console, bool visible)
{
    (void)console;
    if (!con.ready)
        return;
    hide_cursor();
    con.cursor_wanted = visible;
    show_cursor();
}

struct console fb_console = {
    .name = "framebuffer",
    .write = fb_write,
    .set_colour = fb_set_colour,
    .set_cursor = fb_set_cursor,
};

const char *fb_console_init(const struct framebuffer *fb)
{
    unsigned int bytes_per_pixel = (fb->bpp + 7u) / 8;
    unsigned int max_scale = MAX_CELL_BYTES / (console_font.width * 4u);
    unsigned int scale = fb_console_scale_for(fb->width, fb->height);

    if (scale > max_scale)
        scale = max_scale;
    unsigned int cell_width = console_font.width * scale;
    unsigned int cell_height = console_font.height * scale;

    con.ready = false;
    if (scale == 0)
        return "the font is too wide to draw";
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
    con.columns = fb->width / cell_width < MAX_COLUMNS ? fb->width / cell_width : MAX_COLUMNS;
    con.rows = fb->height / cell_height < MAX_ROWS ? fb->height / cell_height : MAX_ROWS;
    con.column = 0;
    con.row = 0;
    con.cursor_wanted = con.cursor_shown = false;
    con.colours = colours_of(COLOUR_LIGHT_GREY, COLOUR_BLACK);
    for (unsigned int colour = 0; colour < 16; colour++)
        con.pixel[colour] = encode(colour);
    /* The cells say "blank" and the screen shows it: the whole screen, margins included. */
    for (unsigned int row = 0; row < con.rows; row++)
        for (unsigned int column = 0; column < con.columns; column++)
            con.cells[row][column] = (struct cell){' ', con.colours};
    fill_rect(0, 0, fb->width, fb->height, con.pixel[COLOUR_BLACK]);
    con.ready = true;
    return NULL;
}
