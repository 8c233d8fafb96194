/*
 * The boot information's small tags (Multiboot2 spec 3.6.2 to 3.6.8, 3.6.11, 3.6.20): strings,
 * modules, the basic memory information, the boot device, the memory map, the EFI system table
 * and the load base address. Each function checks what its tag claims before it is used.
 */
#include "kernel/boot_info_parser.h"

#include "kernel/compiler.h"
#include "kernel/multiboot2.h"

/* True when s holds a NUL within its first room bytes. */
static bool string_terminated(const uint8_t *s, uint32_t room)
{
    return strnlen((const char *)s, room) < room;
}

/*
 * Spec 3.6.2 and 3.6.4: a tag that is a header and a NUL-terminated string. The NUL must lie
 * inside the tag; anything else would make us read past it. what_fails names the broken rule.
 */
static bool parse_string_tag(struct parser *p, uint32_t offset, uint32_t size, const char **out,
                             const char *what_fails)
{
    const uint8_t *s = p->base + offset + sizeof(struct mb2_tag);

    if (!string_terminated(s, size - sizeof(struct mb2_tag)))
        return parse_fail(p, what_fails, offset);
    *out = (const char *)s;
    return true;
}

bool parse_cmdline(struct parser *p, uint32_t offset, uint32_t size)
{
    return parse_string_tag(p, offset, size, &p->info->cmdline, "command line not NUL-terminated");
}

bool parse_loader_name(struct parser *p, uint32_t offset, uint32_t size)
{
    return parse_string_tag(p, offset, size, &p->info->loader_name,
                            "loader name not NUL-terminated");
}

bool parse_module(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_module tag;
    const uint8_t *name = p->base + offset + sizeof(tag);

    memcpy(&tag, p->base + offset, sizeof(tag));
    if (tag.mod_end < tag.mod_start)
        return parse_fail(p, "module ends before it starts", offset);
    if (!string_terminated(name, size - sizeof(tag)))
        return parse_fail(p, "module name not NUL-terminated", offset);

    /* Only counted here: boot_info_next_module reads each one from its tag. */
    if (p->info->modules.count++ == 0)
        p->info->modules.first = p->base + offset;
    return true;
}

bool parse_meminfo(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_basic_meminfo tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->meminfo.present = true;
    p->info->meminfo.lower_kib = tag.mem_lower;
    p->info->meminfo.upper_kib = tag.mem_upper;
    return true;
}

bool parse_bootdev(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_bootdev tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->bootdev.present = true;
    p->info->bootdev.biosdev = tag.biosdev;
    p->info->bootdev.partition = tag.partition;
    p->info->bootdev.sub_partition = tag.sub_partition;
    return true;
}

bool parse_mmap(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_mmap tag;
    uint32_t first = offset + sizeof(tag);
    uint32_t bytes = size - sizeof(tag);
    uint32_t count;

    memcpy(&tag, p->base + offset, sizeof(tag));
    /* Spec 3.6.8: entry_size is a multiple of 8; later versions may only add fields at the end. */
    if (tag.entry_size < sizeof(struct mb2_mmap_entry))
        return parse_fail(p, "memory map entry size below 24", offset + 8);
    if (!IS_ALIGNED(tag.entry_size, 8))
        return parse_fail(p, "memory map entry size not a multiple of 8", offset + 8);
    if (bytes % tag.entry_size != 0)
        return parse_fail(p, "memory map not a whole number of entries", offset);
    count = bytes / tag.entry_size;
    if (count == 0)
        return parse_fail(p, "empty memory map", offset);

    for (uint32_t i = 0; i < count; i++) {
        uint32_t at = first + i * tag.entry_size;
        uint64_t base = read_u64(p->base + at);
        uint64_t length = read_u64(p->base + at + 8);

        /* An allocator computing base + length must not see it wrap around. */
        if (length > UINT64_MAX - base)
            return parse_fail(p, "memory map entry wraps past 2^64", at);
    }

    p->info->mmap.entries = p->base + first;
    p->info->mmap.count = count;
    p->info->mmap.entry_size = tag.entry_size;
    return true;
}

bool parse_efi64(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_efi64 tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->has_efi64 = true;
    p->info->efi64_system_table = tag.pointer;
    return true;
}
