/*
 * Building Multiboot2 boot information by hand for the host tests, and checking what the parser
 * (kernel/boot_info.h) says about it. Used by test_boot_info.c and test_boot_info_errors.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/boot_info.h"
#include "kernel/multiboot2.h"

/* A boot information structure under construction, 8-byte aligned like the real one. */
struct builder {
    uint64_t words[1024];
    uint32_t len;
};

/* A tag's payload (everything after its 8-byte type and size), built before it is added. */
struct payload {
    uint8_t bytes[512];
    uint32_t len;
};

uint8_t *bytes(struct builder *b);

void put_u32(struct builder *b, uint32_t offset, uint32_t v);

/* Starts an empty structure: total_size and reserved are filled in by finish(). */
void begin(struct builder *b);

/* Append a tag with the given payload, pad to 8 bytes, and return the tag's offset. */
uint32_t add_tag(struct builder *b, uint32_t type, const void *payload, uint32_t len);

uint32_t add_string_tag(struct builder *b, uint32_t type, const char *s);

/* Multiboot2 spec 3.6.6: start and end addresses, then the NUL-terminated name. */
void module_payload(struct payload *p, uint32_t start, uint32_t end, const char *name);

/* Multiboot2 spec 3.6.8: entry_size, entry_version 0, then n entries (extra bytes zero). */
void mmap_payload(struct payload *p, uint32_t entry_size, const struct mb2_mmap_entry *e,
                  uint32_t n);

/* Multiboot2 spec 3.6.12: the common framebuffer fields, then the type's colour information. */
void framebuffer_payload(struct payload *p, const struct mb2_tag_framebuffer *fb,
                         const void *colour, uint32_t colour_len);

uint32_t add_module(struct builder *b, uint32_t start, uint32_t end, const char *name);

uint32_t add_u32s(struct builder *b, uint32_t type, const uint32_t *v, uint32_t n);

uint32_t add_mmap(struct builder *b, uint32_t entry_size, const struct mb2_mmap_entry *e,
                  uint32_t n);

uint32_t add_framebuffer(struct builder *b, const struct mb2_tag_framebuffer *fb,
                         const void *colour, uint32_t colour_len);

void fix_checksum(uint8_t *bytes_, uint32_t len, uint32_t checksum_at);

/* A valid ACPI RSDP: 20 bytes for revision 0, 36 for revision 2. */
void make_rsdp(uint8_t *r, uint8_t revision);

/* Write the end tag and total_size. */
void finish(struct builder *b);

bool parse(struct builder *b, struct boot_info *info, struct boot_info_error *err);

/*
 * Parse must fail with exactly this message at exactly this offset. `name` says which case this
 * is, so a failure in a test that checks several cases reports the one that broke.
 */
void expect_error(struct builder *b, const char *name, const char *what, uint32_t offset);

/*
 * A structure holding just this one tag must be refused with this message, at this offset counted
 * from the tag's first byte (0 is its type, 8 the start of the payload).
 */
void expect_tag_error(const char *name, uint32_t type, const void *payload, uint32_t len,
                      const char *what, uint32_t offset_in_tag);

void expect_mmap_error(const char *name, uint32_t entry_size, const struct mb2_mmap_entry *e,
                       uint32_t n, const char *what, uint32_t offset_in_tag);

void expect_framebuffer_error(const char *name, const struct mb2_tag_framebuffer *fb,
                              const void *colour, uint32_t colour_len, const char *what,
                              uint32_t offset_in_tag);

/* A valid 1024x768 32-bit RGB framebuffer, and its colour fields. */
extern const struct mb2_tag_framebuffer rgb_fb;
extern const struct mb2_framebuffer_rgb rgb_fields;

/* A small memory map as SeaBIOS gives it: low memory, the EBDA, RAM, ACPI tables. */
extern const struct mb2_mmap_entry sample_map[4];
