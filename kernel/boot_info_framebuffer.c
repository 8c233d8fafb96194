/*
 * The boot information's framebuffer tag (Multiboot2 spec 3.6.12): the framebuffer's geometry,
 * and its palette or colour fields, each checked to lie inside the tag and the pixel.
 */
#include "kernel/boot_info_parser.h"

#include "kernel/multiboot2.h"

bool parse_framebuffer(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_framebuffer tag;
    struct boot_framebuffer *fb = &p->info->framebuffer;
    uint32_t extra = offset + sizeof(tag); /* the colour information */

    memcpy(&tag, p->base + offset, sizeof(tag));
    if ((uint64_t)tag.framebuffer_width * tag.framebuffer_bpp > (uint64_t)tag.framebuffer_pitch * 8)
        return parse_fail(p, "framebuffer pitch shorter than a line", offset + 16);
    if ((uint64_t)tag.framebuffer_pitch * tag.framebuffer_height >
        UINT64_MAX - tag.framebuffer_addr)
        return parse_fail(p, "framebuffer wraps past 2^64", offset + 8);

    switch (tag.framebuffer_type) {
    case MB2_FRAMEBUFFER_INDEXED: {
        struct mb2_framebuffer_palette pal;

        if (size < sizeof(tag) + sizeof(pal))
            return parse_fail(p, "framebuffer palette truncated", offset);
        memcpy(&pal, p->base + extra, sizeof(pal));
        if ((uint32_t)pal.num_colors * sizeof(struct mb2_palette_color) >
            size - sizeof(tag) - sizeof(pal))
            return parse_fail(p, "framebuffer palette truncated", offset);
        fb->palette = p->base + extra + sizeof(pal);
        fb->palette_count = pal.num_colors;
        break;
    }
    case MB2_FRAMEBUFFER_RGB: {
        struct mb2_framebuffer_rgb rgb;

        if (size < sizeof(tag) + sizeof(rgb))
            return parse_fail(p, "framebuffer colour fields truncated", offset);
        memcpy(&rgb, p->base + extra, sizeof(rgb));
        if (tag.framebuffer_bpp == 0 || tag.framebuffer_bpp > 32)
            return parse_fail(p, "framebuffer bpp out of range for RGB", offset + 28);
        if (!colour_field_fits(rgb.red_field_position, rgb.red_mask_size, tag.framebuffer_bpp) ||
            !colour_field_fits(rgb.green_field_position, rgb.green_mask_size,
                               tag.framebuffer_bpp) ||
            !colour_field_fits(rgb.blue_field_position, rgb.blue_mask_size, tag.framebuffer_bpp))
            return parse_fail(p, "framebuffer colour field outside the pixel", extra);
        fb->red_position = rgb.red_field_position;
        fb->red_size = rgb.red_mask_size;
        fb->green_position = rgb.green_field_position;
        fb->green_size = rgb.green_mask_size;
        fb->blue_position = rgb.blue_field_position;
        fb->blue_size = rgb.blue_mask_size;
        break;
    }
    case MB2_FRAMEBUFFER_EGA_TEXT:
        break;
    default:
        return parse_fail(p, "unknown framebuffer type", offset + 29);
    }

    fb->present = true;
    fb->address = tag.framebuffer_addr;
    fb->pitch = tag.framebuffer_pitch;
    fb->width = tag.framebuffer_width;
    fb->height = tag.framebuffer_height;
    fb->bpp = tag.framebuffer_bpp;
    fb->type = tag.framebuffer_type;
    return true;
}
