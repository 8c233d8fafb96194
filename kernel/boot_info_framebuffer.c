/*
 * The boot information's framebuffer tag (Multiboot2 spec 3.6.12): the framebuffer's geometry,
 * and its palette or colour fields, each checked to lie inside the tag and the pixel; and the
 * search for that tag in boot information the parser refused, to show the refusal on the screen.
 */
#include "kernel/boot_info_parser.h"

#include "kernel/compiler.h"
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

bool boot_info_find_framebuffer(const void *mbi, struct boot_framebuffer *fb)
{
    struct boot_info scratch;
    struct boot_info_error error;
    struct parser p = {.base = mbi, .info = &scratch, .err = &error};
    uint32_t offset = sizeof(struct mb2_info_header);

    memset(&scratch, 0, sizeof(scratch));
    if (mbi == NULL || !IS_ALIGNED((uintptr_t)mbi, MB2_TAG_ALIGN))
        return false;
    p.total_size = read_u32(p.base);
    if (p.total_size > BOOT_INFO_MAX_SIZE || !IS_ALIGNED(p.total_size, MB2_TAG_ALIGN))
        return false;
    /* The same walk as boot_info_parse, as far as the tag headers hold, and only tag 8 read. */
    while (p.total_size > offset) {
        uint32_t type = read_u32(p.base + offset);
        uint32_t size = read_u32(p.base + offset + 4);

        if (type == MB2_TAG_END || size < sizeof(struct mb2_tag) || size > p.total_size - offset)
            return false;
        if (type == MB2_TAG_FRAMEBUFFER) {
            if (size < sizeof(struct mb2_tag_framebuffer) || !parse_framebuffer(&p, offset, size))
                return false;
            *fb = scratch.framebuffer;
            return true;
        }
        offset += ALIGN_UP(size, MB2_TAG_ALIGN);
    }
    return false;
}
