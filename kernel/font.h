/*
 * The bitmap font the framebuffer console draws with. Its definition, console_font, is generated
 * at build time by scripts/psf2c from a PSF console font (build/gen/font.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The font holds printable ASCII only, then one fallback glyph drawn for every other byte. */
#define FONT_FIRST_CHAR  0x20
#define FONT_LAST_CHAR   0x7e
#define FONT_GLYPH_COUNT (FONT_LAST_CHAR - FONT_FIRST_CHAR + 1 + 1)

struct font {
    uint8_t width;  /* pixels */
    uint8_t height; /* pixels */
    /* Each glyph row is padded to whole bytes; the leftmost pixel is the top bit of its byte. */
    uint8_t bytes_per_row;
    /* FONT_GLYPH_COUNT glyphs of height * bytes_per_row bytes each, top row first. */
    const uint8_t *glyphs;
};

extern const struct font console_font;

/* The bitmap to draw for byte c. */
static inline const uint8_t *font_glyph(const struct font *font, unsigned char c)
{
    unsigned int index = FONT_GLYPH_COUNT - 1;

    if (c >= FONT_FIRST_CHAR && c <= FONT_LAST_CHAR)
        index = c - FONT_FIRST_CHAR;
    return font->glyphs + (size_t)index * font->height * font->bytes_per_row;
}
