/*
 * Inside the boot information parser (kernel/boot_info.c walks the tags; kernel/boot_info_tags.c,
 * boot_info_framebuffer.c and boot_info_acpi.c read one kind of tag each). Not for other callers:
 * they use kernel/boot_info.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/boot_info.h"
#include "kernel/string.h"

struct parser {
    const uint8_t *base; /* start of the boot information */
    uint32_t total_size;
    struct boot_info *info;
    struct boot_info_error *err;
    uint32_t seen; /* bit n set once a tag of type n has been parsed */
};

/* Records the broken rule and where; returns false so that a parse function can return it. */
static inline bool parse_fail(struct parser *p, const char *what, uint32_t offset)
{
    p->err->what = what;
    p->err->offset = offset;
    return false;
}

/* Tags are 8-byte aligned, but memcpy keeps every read free of alignment and aliasing rules. */
static inline uint32_t read_u32(const uint8_t *at)
{
    uint32_t v;

    memcpy(&v, at, sizeof(v));
    return v;
}

static inline uint64_t read_u64(const uint8_t *at)
{
    uint64_t v;

    memcpy(&v, at, sizeof(v));
    return v;
}

/*
 * One parse function per tag type. Each is called with a tag that lies wholly inside the
 * structure and is at least its type's minimum size (the rules in kernel/boot_info.c).
 */
bool parse_cmdline(struct parser *p, uint32_t offset, uint32_t size);
bool parse_loader_name(struct parser *p, uint32_t offset, uint32_t size);
bool parse_module(struct parser *p, uint32_t offset, uint32_t size);
bool parse_meminfo(struct parser *p, uint32_t offset, uint32_t size);
bool parse_bootdev(struct parser *p, uint32_t offset, uint32_t size);
bool parse_mmap(struct parser *p, uint32_t offset, uint32_t size);
bool parse_efi64(struct parser *p, uint32_t offset, uint32_t size);
bool parse_framebuffer(struct parser *p, uint32_t offset, uint32_t size);
bool parse_acpi_old(struct parser *p, uint32_t offset, uint32_t size);
bool parse_acpi_new(struct parser *p, uint32_t offset, uint32_t size);

/* ACPI 6.5 section 5.2.5.3: the ACPI 1.0 part of the RSDP, which tag 14 must hold whole. */
#define RSDP_V1_SIZE 20
/* ... and the ACPI 2.0+ RSDP up to and including its reserved bytes, for tag 15. */
#define RSDP_V2_SIZE 36
