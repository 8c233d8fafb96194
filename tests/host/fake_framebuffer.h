/*
 * A framebuffer in RAM for host tests and benches: 32 bits per pixel, x8r8g8b8, the layout GRUB
 * hands over on nearly every UEFI PC.
 */
#pragma once

#include <stdint.h>

#include "kernel/fb_console.h"

static inline struct framebuffer fake_xrgb_framebuffer(void *address, uint32_t width,
                                                       uint32_t height, uint32_t pitch)
{
    return (struct framebuffer){
        .address = address,
        .width = width,
        .height = height,
        .pitch = pitch,
        .bpp = 32,
        .red_position = 16,
        .red_size = 8,
        .green_position = 8,
        .green_size = 8,
        .blue_position = 0,
        .blue_size = 8,
    };
}
