/*
 * The boot loader's Multiboot2 information, checked against every rule the spec gives and turned
 * into plain fields the rest of the kernel can trust without looking at the raw tags again.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A structure larger than this is taken to be garbage rather than boot information. GRUB's, with
 * a UEFI memory map, ELF section headers and ACPI copies, is a few tens of KiB.
 */
#define BOOT_INFO_MAX_SIZE (1024 * 1024)

struct boot_module {
    uint64_t start;   /* physical address of the first byte */
    uint64_t end;     /* physical address one past the last byte */
    const char *name; /* the module's command line; points into the boot information */
};

struct boot_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* MB2_MEMORY_* */
};

struct boot_framebuffer {
    bool present;
    uint64_t address; /* physical; may well be above 4 GiB */
    uint32_t pitch;   /* bytes from one line to the next */
    uint32_t width;   /* pixels, or characters for EGA text */
    uint32_t height;
    uint8_t bpp;
    uint8_t type; /* MB2_FRAMEBUFFER_* */
    /* MB2_FRAMEBUFFER_RGB only: bit position and width of each channel within a pixel. */
    uint8_t red_position, red_size;
    uint8_t green_position, green_size;
    uint8_t blue_position, blue_size;
    /* MB2_FRAMEBUFFER_INDEXED only: palette_count entries of 3 bytes (red, green, blue). */
    const uint8_t *palette;
    uint16_t palette_count;
};

/* A copy of the ACPI Root System Description Pointer, checksums already verified. */
struct boot_rsdp {
    bool present;
    const void *table; /* the copy, inside the boot information */
    uint32_t length;   /* bytes at table: 20 for ACPI 1.0, the RSDP's own length for 2.0+ */
    uint8_t revision;
    uint32_t rsdt_address;
    uint64_t xsdt_address; /* ACPI 2.0+ only; 0 from the ACPI 1.0 tag */
};

/*
 * Everything found. Pointers (strings, memory map, palette, RSDP) point into the boot
 * information, which must therefore stay mapped and must not be handed to the page allocator
 * while they are in use: mbi_start..mbi_end is the range to keep out.
 */
struct boot_info {
    uint64_t mbi_start; /* physical */
    uint64_t mbi_end;   /* physical, one past the last byte */

    const char *cmdline;     /* NULL when the tag is absent */
    const char *loader_name; /* NULL when the tag is absent */

    struct {
        bool present;
        uint32_t lower_kib; /* from address 0 */
        uint32_t upper_kib; /* from 1 MiB to the first hole */
    } meminfo;

    struct {
        bool present;
        uint32_t biosdev, partition, sub_partition;
    } bootdev;

    struct {
        const uint8_t *entries; /* NULL when the tag is absent; read with boot_info_mmap_entry() */
        size_t count;
        uint32_t entry_size;
    } mmap;

    struct boot_framebuffer framebuffer;

    /*
     * Module tags are read where they lie, so there is no limit on how many: walk them with
     * boot_info_next_module().
     */
    struct {
        size_t count;
        const uint8_t *first; /* the first module tag; NULL when there is none */
        const uint8_t *end;   /* the end tag, where the walk stops */
    } modules;

    struct boot_rsdp acpi_v1; /* tag 14 */
    struct boot_rsdp acpi_v2; /* tag 15 */

    bool has_efi64;
    uint64_t efi64_system_table; /* physical */
};

/* Why parsing failed: a short description and the byte offset from the start of the structure. */
struct boot_info_error {
    const char *what;
    uint32_t offset;
};

/*
 * Check the boot information at mbi (mapped and readable; mbi_phys is its physical address) and
 * fill *info. Never reads outside [mbi, mbi + total_size). Returns false and fills *err at the
 * first rule broken; *info is then incomplete and must not be used.
 */
bool boot_info_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *info,
                     struct boot_info_error *err);

/*
 * For boot information that boot_info_parse refused: finds the framebuffer tag by following the
 * tags as far as their headers are sound, and fills *fb if the tag itself keeps every rule, so
 * the refusal can be shown on the screen. False when there is no such tag.
 */
bool boot_info_find_framebuffer(const void *mbi, struct boot_framebuffer *fb);

/* Copy memory map entry index into *entry; false when there is no such entry. */
bool boot_info_mmap_entry(const struct boot_info *info, size_t index,
                          struct boot_mmap_entry *entry);

/*
 * The modules in the order of their tags. *cursor starts at 0; each call that returns true fills
 * *module with the next module and moves *cursor past it. False after the last one.
 */
bool boot_info_next_module(const struct boot_info *info, uint32_t *cursor,
                           struct boot_module *module);

/*
 * Multiboot2 spec 3.6.12: a colour channel of size bits at bit position must lie inside a pixel
 * of bpp bits, so that a shift by position never reaches the width of the pixel's type.
 */
static inline bool colour_field_fits(uint8_t position, uint8_t size, uint8_t bpp)
{
    return (unsigned)position + size <= bpp;
}

/* "available", "reserved", ... for an MB2_MEMORY_* value. */
const char *mmap_type_name(uint32_t type);

/*
 * This boot's information, as kmain read and checked it (kernel/main.c), for what prints it again
 * later (the monitor's info). Empty before kmain has read it.
 */
const struct boot_info *boot_info_this_boot(void);
