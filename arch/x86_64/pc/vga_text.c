/*
 * A console on the VGA text buffer: 80x25 cells of (character, attribute), scrolling, colours.
 * The cells are kept in RAM too, and video memory is only written: reading it back is slow on
 * real hardware (uncached, across the bus), so scrolling moves the RAM copy and stores it out.
 */
#include "arch/x86_64/pc/vga_text.h"

#include <stdint.h>

#include "arch/x86_64/cpu/io.h"
#include "kernel/console.h"
#include "kernel/string.h"

#define TAB_WIDTH 8

/* CRT controller registers, for the hardware cursor. */
#define VGA_CRTC_INDEX       0x3d4
#define VGA_CRTC_DATA        0x3d5
#define VGA_CRTC_CURSOR_HIGH 0x0e
#define VGA_CRTC_CURSOR_LOW  0x0f

struct vga_text {
    struct console console;
    volatile uint16_t *screen;
    uint16_t cells[VGA_ROWS * VGA_COLUMNS];
    int row, column;
    uint8_t attribute; /* background colour in the high nibble, foreground in the low one */
};

static uint16_t cell(char c, uint8_t attribute)
{
    return (uint16_t)((uint16_t)attribute << 8 | (uint8_t)c);
}

static void set_cell(struct vga_text *vga, int index, uint16_t value)
{
    vga->cells[index] = value;
    vga->screen[index] = value;
}

static void clear_row(struct vga_text *vga, int row)
{
    for (int column = 0; column < VGA_COLUMNS; column++)
        set_cell(vga, row * VGA_COLUMNS + column, cell(' ', vga->attribute));
}

static void scroll_one_row(struct vga_text *vga)
{
    for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLUMNS; i++)
        set_cell(vga, i, vga->cells[i + VGA_COLUMNS]);
    clear_row(vga, VGA_ROWS - 1);
}

static void new_line(struct vga_text *vga)
{
    vga->column = 0;
    if (++vga->row == VGA_ROWS) {
        scroll_one_row(vga);
        vga->row = VGA_ROWS - 1;
    }
}

static void move_cursor(const struct vga_text *vga)
{
    uint16_t position = (uint16_t)(vga->row * VGA_COLUMNS + vga->column);

    outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_HIGH);
    outb(VGA_CRTC_DATA, position >> 8);
    outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LOW);
    outb(VGA_CRTC_DATA, position & 0xff);
}

static void put_char(struct vga_text *vga, char c)
{
    switch (c) {
    case '\n':
        new_line(vga);
        return;
    case '\r':
        vga->column = 0;
        return;
    case '\t':
        do
            put_char(vga, ' ');
        while (vga->column % TAB_WIDTH != 0);
        return;
    case '\b':
        if (vga->column > 0)
            vga->column--;
        return;
    }
    set_cell(vga, vga->row * VGA_COLUMNS + vga->column, cell(c, vga->attribute));
    if (++vga->column == VGA_COLUMNS)
        new_line(vga);
}

static void vga_write(struct console *con, const char *text, size_t len)
{
    struct vga_text *vga = (struct vga_text *)con;

    for (size_t i = 0; i < len; i++)
        put_char(vga, text[i]);
    move_cursor(vga);
}

static void vga_set_colour(struct console *con, enum console_colour fg, enum console_colour bg)
{
    struct vga_text *vga = (struct vga_text *)con;

    vga->attribute = (uint8_t)(bg << 4 | fg);
}

/* Filled in by vga_text_init, so that its 4 KiB of cells are .bss, not bytes of the file. */
static struct vga_text vga;

void vga_text_init(volatile uint16_t *screen)
{
    vga.console = (struct console){.name = "vga", .write = vga_write, .set_colour = vga_set_colour};
    vga.attribute = COLOUR_BLACK << 4 | COLOUR_LIGHT_GREY;
    vga.screen = screen;
    for (int row = 0; row < VGA_ROWS; row++)
        clear_row(&vga, row);
    move_cursor(&vga);
    console_register(&vga.console);
}
