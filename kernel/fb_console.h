/*
 * A text console drawn on a linear RGB framebuffer (the multiboot2 framebuffer tag, type 1):
 * kernel messages on screens where there is no VGA text mode, such as every UEFI machine.
 */
#pragma once

#include <stdint.h>

#include "kernel/console.h"

/*
 * The framebuffer as the boot loader describes it (Multiboot2 spec 3.6.12, framebuffer_type 1).
 * A pixel is bpp / 8 bytes (rounded up), stored little-endian; each colour channel occupies
 * `size` bits starting at bit `position` of that value.
 */
struct framebuffer {
    void *address;   /* virtual address, already mapped for pitch * height bytes */
    uint32_t width;  /* pixels */
    uint32_t height; /* pixels */
    uint32_t pitch;  /* bytes from one scan line to the next, at least width * bytes per pixel */
    uint8_t bpp;     /* bits per pixel: 15, 16, 24 or 32 */
    uint8_t red_position, red_size;
    uint8_t green_position, green_size;
    uint8_t blue_position, blue_size;
};

/*
 * Glyphs are drawn `scale` times larger on big screens so text stays readable on 4K: scale is the
 * whole number nearest to how many times the screen is bigger than 1920x1080, taking the smaller
 * of the two directions, and at least 1. So 1920x1080 and below draw at 1, 2560x1440 at 1,
 * 2880x1800 and 3840x2160 at 2, 5120x2880 at 3 (and never above 8, see fb_console.c).
 * tests/screen/fb_text_check reads these two numbers from this file, so keep them as plain
 * #defines.
 */
#define FB_CONSOLE_SCALE_STEP_WIDTH  1920
#define FB_CONSOLE_SCALE_STEP_HEIGHT 1080

/* Register with console_register() once fb_console_init() succeeded; earlier writes are ignored. */
extern struct console fb_console;

/*
 * Takes over the framebuffer: checks the pixel format, picks the scale, clears the whole screen
 * (wiping whatever the boot loader left there) and homes the cursor. Returns NULL on success, or
 * a sentence saying why this framebuffer cannot be used, for the caller to print elsewhere.
 */
const char *fb_console_init(const struct framebuffer *fb);

/* The glyph scale fb_console_init() picks for a screen of this size (see the rule above). */
unsigned int fb_console_scale_for(uint32_t width, uint32_t height);

/* The text grid of the initialised console, in characters. */
unsigned int fb_console_columns(void);
unsigned int fb_console_rows(void);
