/*
 * Multiboot2 boot information as the boot loader hands it over: constants and on-wire layouts
 * (Multiboot2 spec 3.6). Parsing and validation live in kernel/boot_info.c.
 */
#pragma once

#include <stdint.h>

/* Spec 3.2: the value EAX holds when the boot loader jumps to the kernel. */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289

/* Spec 3.6.1: every tag, and the boot information itself, starts on an 8-byte boundary. */
#define MB2_TAG_ALIGN 8

/* Spec 3.6: tag types. */
#define MB2_TAG_END                0
#define MB2_TAG_CMDLINE            1
#define MB2_TAG_LOADER_NAME        2
#define MB2_TAG_MODULE             3
#define MB2_TAG_BASIC_MEMINFO      4
#define MB2_TAG_BOOTDEV            5
#define MB2_TAG_MMAP               6
#define MB2_TAG_VBE                7
#define MB2_TAG_FRAMEBUFFER        8
#define MB2_TAG_ELF_SECTIONS       9
#define MB2_TAG_APM                10
#define MB2_TAG_EFI32              11
#define MB2_TAG_EFI64              12
#define MB2_TAG_SMBIOS             13
#define MB2_TAG_ACPI_OLD           14
#define MB2_TAG_ACPI_NEW           15
#define MB2_TAG_NETWORK            16
#define MB2_TAG_EFI_MMAP           17
#define MB2_TAG_EFI_BS_NOT_EXITED  18
#define MB2_TAG_EFI32_IMAGE_HANDLE 19
#define MB2_TAG_EFI64_IMAGE_HANDLE 20
#define MB2_TAG_LOAD_BASE_ADDR     21

/* Spec 3.6.8: memory map entry types. Any other value is reserved memory. */
#define MB2_MEMORY_AVAILABLE        1
#define MB2_MEMORY_RESERVED         2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS              4
#define MB2_MEMORY_BADRAM           5

/* Spec 3.6.12: framebuffer types. */
#define MB2_FRAMEBUFFER_INDEXED  0
#define MB2_FRAMEBUFFER_RGB      1
#define MB2_FRAMEBUFFER_EGA_TEXT 2

/*
 * The layouts below are naturally aligned, so they need no packing: sizeof matches the wire, and
 * the _Static_asserts prove it. Read them by memcpy'ing from the boot information.
 */

/* Spec 3.6.1: the fixed part at the start of the boot information. */
struct mb2_info_header {
    uint32_t total_size; /* the whole structure, this field and the end tag included */
    uint32_t reserved;   /* ignored by the kernel */
};

/* Spec 3.6.1: every tag starts with this; size counts the header but not the padding after. */
struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

/* Spec 3.6.2 (type 1) and 3.6.4 (type 2): a tag followed by a NUL-terminated UTF-8 string. */
struct mb2_tag_string {
    uint32_t type;
    uint32_t size;
    char string[];
};

/* Spec 3.6.6: one tag per module; addresses are physical, mod_end is one past the last byte. */
struct mb2_tag_module {
    uint32_t type;
    uint32_t size;
    uint32_t mod_start;
    uint32_t mod_end;
    char string[];
};

/* Spec 3.6.3: lower memory from 0 and upper memory from 1 MiB, both in KiB. */
struct mb2_tag_basic_meminfo {
    uint32_t type;
    uint32_t size;
    uint32_t mem_lower;
    uint32_t mem_upper;
};

/* Spec 3.6.5: the BIOS disk the kernel was loaded from. */
struct mb2_tag_bootdev {
    uint32_t type;
    uint32_t size;
    uint32_t biosdev;
    uint32_t partition;
    uint32_t sub_partition;
};

/* Spec 3.6.8: entries of entry_size bytes follow; entry_size may grow in later versions. */
struct mb2_tag_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t entry_size;
    uint32_t entry_version;
};

struct mb2_mmap_entry {
    uint64_t base_addr;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

/*
 * Spec 3.6.12: the spec's text shows one reserved byte after framebuffer_type, but GRUB (the
 * reference implementation) writes two, so the colour information starts at offset 32.
 */
struct mb2_tag_framebuffer {
    uint32_t type;
    uint32_t size;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch; /* bytes per line */
    uint32_t framebuffer_width; /* pixels, or characters for EGA text */
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type;
    uint16_t reserved;
};

/* Indexed colour: a palette of num_colors three-byte entries (GRUB writes the count as u16). */
struct mb2_framebuffer_palette {
    uint16_t num_colors;
};

struct mb2_palette_color {
    uint8_t red;
    uint8_t green;
    uint8_t blue;
};

/* Direct RGB colour: where each channel sits in a pixel, in bits. */
struct mb2_framebuffer_rgb {
    uint8_t red_field_position;
    uint8_t red_mask_size;
    uint8_t green_field_position;
    uint8_t green_mask_size;
    uint8_t blue_field_position;
    uint8_t blue_mask_size;
};

/* Spec 3.6.13: the section headers of the kernel's ELF image (GRUB writes u32 fields). */
struct mb2_tag_elf_sections {
    uint32_t type;
    uint32_t size;
    uint32_t num;
    uint32_t entsize;
    uint32_t shndx;
};

/* Spec 3.6.16: the physical address of the EFI system table. */
struct mb2_tag_efi64 {
    uint32_t type;
    uint32_t size;
    uint64_t pointer;
};

/* Spec 3.6.17 / 3.6.18: a copy of the ACPI RSDP follows the header. */
struct mb2_tag_acpi {
    uint32_t type;
    uint32_t size;
    uint8_t rsdp[];
};

/* Spec 3.6.19: UEFI memory descriptors of descriptor_size bytes follow. */
struct mb2_tag_efi_mmap {
    uint32_t type;
    uint32_t size;
    uint32_t descriptor_size;
    uint32_t descriptor_version;
};

/* Spec 3.6.23: the physical address the kernel image was loaded at. */
struct mb2_tag_load_base_addr {
    uint32_t type;
    uint32_t size;
    uint32_t load_base_addr;
};

_Static_assert(sizeof(struct mb2_info_header) == 8, "multiboot2 info header is 8 bytes");
_Static_assert(sizeof(struct mb2_tag) == 8, "multiboot2 tag header is 8 bytes");
_Static_assert(sizeof(struct mb2_tag_module) == 16, "module tag header is 16 bytes");
_Static_assert(sizeof(struct mb2_tag_basic_meminfo) == 16, "meminfo tag is 16 bytes");
_Static_assert(sizeof(struct mb2_tag_bootdev) == 20, "bootdev tag is 20 bytes");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mmap tag header is 16 bytes");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mmap entry is 24 bytes");
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 32, "framebuffer common part is 32 bytes");
_Static_assert(sizeof(struct mb2_palette_color) == 3, "palette entry is 3 bytes");
_Static_assert(sizeof(struct mb2_framebuffer_rgb) == 6, "RGB colour info is 6 bytes");
_Static_assert(sizeof(struct mb2_tag_elf_sections) == 20, "ELF sections tag header is 20 bytes");
_Static_assert(sizeof(struct mb2_tag_efi64) == 16, "EFI64 tag is 16 bytes");
_Static_assert(sizeof(struct mb2_tag_efi_mmap) == 16, "EFI mmap tag header is 16 bytes");
_Static_assert(sizeof(struct mb2_tag_load_base_addr) == 12, "load base tag is 12 bytes");
