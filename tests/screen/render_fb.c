/*
 * Test helper for the screen checkers: draws text with the kernel's framebuffer console into
 * memory and saves it as a PPM, the way QEMU's screendump would show that framebuffer.
 *
 * Usage: render_fb WIDTH HEIGHT FORMAT OUT.ppm TEXT [FOREGROUND]
 *   FORMAT: xrgb8888, xbgr8888, rgb888, bgr888 or rgb565; FOREGROUND: a colour number 0..15.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fb_console.h"

struct format {
    const char *name;
    uint8_t bpp;
    uint8_t red_position, red_size, green_position, green_size, blue_position, blue_size;
};

static const struct format formats[] = {
    {"xrgb8888", 32, 16, 8, 8, 8, 0, 8}, {"xbgr8888", 32, 0, 8, 8, 8, 16, 8},
    {"rgb888", 24, 16, 8, 8, 8, 0, 8},   {"bgr888", 24, 0, 8, 8, 8, 16, 8},
    {"rgb565", 16, 11, 5, 5, 6, 0, 5},
};

/* A channel of `size` bits widened back to 8 bits. */
static unsigned int to_8_bits(uint32_t pixel, unsigned int position, unsigned int size)
{
    uint32_t value = (pixel >> position) & ((1u << size) - 1);

    return value * 255 / ((1u << size) - 1);
}

int main(int argc, char **argv)
{
    const struct format *format = NULL;
    struct framebuffer fb = {0};
    unsigned int bytes_per_pixel;
    const char *error;
    FILE *out;

    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: render_fb WIDTH HEIGHT FORMAT OUT.ppm TEXT [FOREGROUND]\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcmp(argv[3], formats[i].name) == 0)
            format = &formats[i];
    }
    if (!format) {
        fprintf(stderr, "render_fb: unknown format %s\n", argv[3]);
        return 2;
    }
    fb.width = (uint32_t)strtoul(argv[1], NULL, 10);
    fb.height = (uint32_t)strtoul(argv[2], NULL, 10);
    fb.bpp = format->bpp;
    bytes_per_pixel = (fb.bpp + 7u) / 8;
    /* An odd pitch, longer than a line, as some video cards have. */
    fb.pitch = fb.width * bytes_per_pixel + 20;
    fb.red_position = format->red_position;
    fb.red_size = format->red_size;
    fb.green_position = format->green_position;
    fb.green_size = format->green_size;
    fb.blue_position = format->blue_position;
    fb.blue_size = format->blue_size;
    fb.address = malloc((size_t)fb.pitch * fb.height);
    if (!fb.address) {
        perror("render_fb");
        return 2;
    }
    /* Fill with a picture the console must wipe. */
    memset(fb.address, 0x9e, (size_t)fb.pitch * fb.height);

    error = fb_console_init(&fb);
    if (error) {
        fprintf(stderr, "render_fb: %s\n", error);
        return 2;
    }
    if (argc == 7)
        fb_console.set_colour(&fb_console, (enum console_colour)atoi(argv[6]), COLOUR_BLACK);
    fb_console.write(&fb_console, argv[5], strlen(argv[5]));

    out = fopen(argv[4], "wb");
    if (!out) {
        perror(argv[4]);
        return 2;
    }
    fprintf(out, "P6\n%u %u\n255\n", fb.width, fb.height);
    for (uint32_t y = 0; y < fb.height; y++) {
        for (uint32_t x = 0; x < fb.width; x++) {
            const uint8_t *p = (uint8_t *)fb.address + (size_t)y * fb.pitch + x * bytes_per_pixel;
            uint32_t pixel = 0;

            for (unsigned int i = 0; i < bytes_per_pixel; i++)
                pixel |= (uint32_t)p[i] << (8 * i);
            fputc((int)to_8_bits(pixel, fb.red_position, fb.red_size), out);
            fputc((int)to_8_bits(pixel, fb.green_position, fb.green_size), out);
            fputc((int)to_8_bits(pixel, fb.blue_position, fb.blue_size), out);
        }
    }
    free(fb.address);
    return fclose(out) == 0 ? 0 : 2;
}
