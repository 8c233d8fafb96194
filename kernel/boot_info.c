/*
 * A strict parser for the Multiboot2 boot information (spec 3.6). Every read is bounded by the
 * structure's own total_size, every length is checked before it is used, and the first broken
 * rule stops the parse with a description and a byte offset.
 *
 * Decisions the spec leaves open:
 * - total_size must be a multiple of 8 and at most BOOT_INFO_MAX_SIZE, and the end tag must be
 *   the last thing in the structure (GRUB sets total_size to exactly the end of the end tag).
 * - A tag type that describes one thing (everything but modules) may appear once; a second copy
 *   is an error, since the kernel could not know which one to believe.
 * - Unknown tag types, and known ones the kernel does not use yet (VBE, ELF sections, APM, EFI32,
 *   SMBIOS, network, EFI memory map, EFI image handles, the load base address: keel runs only
 *   where it is linked, linker/kernel.ld), are skipped after the generic checks.
 * - The memory map and other tags are optional here: the caller decides what it cannot boot
 *   without.
 */
#include "kernel/boot_info.h"

#include "kernel/boot_info_parser.h"
#include "kernel/compiler.h"
#include "kernel/multiboot2.h"

/* What the parser knows about each tag type it reads. */
struct tag_rule {
    uint32_t type;
    uint32_t min_size; /* the fixed part, plus one byte for a string's NUL */
    bool repeats;      /* may appear more than once */
    const char *too_small;
    const char *duplicate;
    bool (*parse)(struct parser *p, uint32_t offset, uint32_t size);
};

static const struct tag_rule rules[] = {
    {MB2_TAG_CMDLINE, sizeof(struct mb2_tag) + 1, false, "command line tag too small",
     "duplicate command line tag", parse_cmdline},
    {MB2_TAG_LOADER_NAME, sizeof(struct mb2_tag) + 1, false, "loader name tag too small",
     "duplicate loader name tag", parse_loader_name},
    {MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + 1, true, "module tag too small", NULL,
     parse_module},
    {MB2_TAG_BASIC_MEMINFO, sizeof(struct mb2_tag_basic_meminfo), false,
     "basic memory info tag too small", "duplicate basic memory info tag", parse_meminfo},
    {MB2_TAG_BOOTDEV, sizeof(struct mb2_tag_bootdev), false, "boot device tag too small",
     "duplicate boot device tag", parse_bootdev},
    {MB2_TAG_MMAP, sizeof(struct mb2_tag_mmap), false, "memory map tag too small",
     "duplicate memory map tag", parse_mmap},
    {MB2_TAG_FRAMEBUFFER, sizeof(struct mb2_tag_framebuffer), false, "framebuffer tag too small",
     "duplicate framebuffer tag", parse_framebuffer},
    {MB2_TAG_EFI64, sizeof(struct mb2_tag_efi64), false, "EFI64 system table tag too small",
     "duplicate EFI64 system table tag", parse_efi64},
    {MB2_TAG_ACPI_OLD, sizeof(struct mb2_tag) + RSDP_V1_SIZE, false, "ACPI 1.0 RSDP tag too small",
     "duplicate ACPI 1.0 RSDP tag", parse_acpi_old},
    {MB2_TAG_ACPI_NEW, sizeof(struct mb2_tag) + RSDP_V2_SIZE, false, "ACPI 2.0 RSDP tag too small",
     "duplicate ACPI 2.0 RSDP tag", parse_acpi_new},
};

static const struct tag_rule *find_rule(uint32_t type)
{
    for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
        if (rules[i].type == type)
            return &rules[i];
    }
    return NULL;
}

/* The tag at offset lies wholly inside the structure; apply its type's rules. */
static bool parse_tag(struct parser *p, uint32_t type, uint32_t offset, uint32_t size)
{
    const struct tag_rule *rule = find_rule(type);

    if (rule == NULL)
        return true;
    if (size < rule->min_size)
        return parse_fail(p, rule->too_small, offset);
    /* Every type with a rule is below 32, so it has a bit in seen. */
    if (!rule->repeats && (p->seen & (UINT32_C(1) << type)))
        return parse_fail(p, rule->duplicate, offset);
    p->seen |= UINT32_C(1) << type;
    return rule->parse(p, offset, size);
}

bool boot_info_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *info,
                     struct boot_info_error *err)
{
    struct parser p = {.base = mbi, .info = info, .err = err};
    uint32_t offset = sizeof(struct mb2_info_header);

    memset(info, 0, sizeof(*info));
    if (mbi == NULL)
        return parse_fail(&p, "no boot information", 0);
    /* Spec 3.6.1: the structure starts 8-byte aligned, like every tag in it. */
    if (!IS_ALIGNED((uintptr_t)mbi, MB2_TAG_ALIGN))
        return parse_fail(&p, "boot information not 8-byte aligned", 0);

    /* Spec 3.6.1: total_size comes first; nothing past it may be read. */
    p.total_size = read_u32(p.base);
    if (p.total_size < sizeof(struct mb2_info_header) + sizeof(struct mb2_tag))
        return parse_fail(&p, "total size below 16", 0);
    if (p.total_size > BOOT_INFO_MAX_SIZE)
        return parse_fail(&p, "total size above 1 MiB", 0);
    /* Tags start 8-aligned and the 8-byte end tag comes last, so the total is a multiple of 8. */
    if (!IS_ALIGNED(p.total_size, MB2_TAG_ALIGN))
        return parse_fail(&p, "total size not a multiple of 8", 0);

    /* offset and total_size are multiples of 8, so a whole tag header always fits or nothing. */
    for (;;) {
        uint32_t room = p.total_size - offset;
        uint32_t type, size;

        if (room == 0)
            return parse_fail(&p, "missing end tag", offset);
        type = read_u32(p.base + offset);
        size = read_u32(p.base + offset + 4);
        if (size < sizeof(struct mb2_tag))
            return parse_fail(&p, "tag size below 8", offset);
        if (size > room)
            return parse_fail(&p, "tag runs past the end", offset);

        if (type == MB2_TAG_END) {
            if (size != sizeof(struct mb2_tag))
                return parse_fail(&p, "end tag size not 8", offset);
            if (room != sizeof(struct mb2_tag))
                return parse_fail(&p, "data after the end tag",
                                  offset + (uint32_t)sizeof(struct mb2_tag));
            info->modules.end = p.base + offset;
            break;
        }
        if (!parse_tag(&p, type, offset, size))
            return false;
        /*
         * Spec 3.6.1: size excludes the padding to the next 8-byte boundary. room is a multiple
         * of 8 and size <= room, so this never steps past the end.
         */
        offset += ALIGN_UP(size, MB2_TAG_ALIGN);
    }

    info->mbi_start = mbi_phys;
    info->mbi_end = mbi_phys + p.total_size;
    return true;
}

bool boot_info_mmap_entry(const struct boot_info *info, size_t index, struct boot_mmap_entry *entry)
{
    struct mb2_mmap_entry raw;

    if (info->mmap.entries == NULL || index >= info->mmap.count)
        return false;
    memcpy(&raw, info->mmap.entries + index * info->mmap.entry_size, sizeof(raw));
    entry->base = raw.base_addr;
    entry->length = raw.length;
    entry->type = raw.type;
    return true;
}

bool boot_info_next_module(const struct boot_info *info, uint32_t *cursor,
                           struct boot_module *module)
{
    const uint8_t *at;

    if (info->modules.first == NULL)
        return false;
    /* The parse checked every tag up to the end tag, so each size here is sound. */
    for (at = info->modules.first + *cursor; at < info->modules.end;
         at = info->modules.first + *cursor) {
        struct mb2_tag_module tag;

        memcpy(&tag, at, sizeof(tag));
        *cursor += ALIGN_UP(tag.size, MB2_TAG_ALIGN);
        if (tag.type == MB2_TAG_MODULE) {
            module->start = tag.mod_start;
            module->end = tag.mod_end;
            module->name = (const char *)at + sizeof(tag);
            return true;
        }
    }
    return false;
}

const char *mmap_type_name(uint32_t type)
{
    switch (type) {
    case MB2_MEMORY_AVAILABLE:
        return "available";
    case MB2_MEMORY_RESERVED:
        return "reserved";
    case MB2_MEMORY_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case MB2_MEMORY_NVS:
        return "ACPI NVS";
    case MB2_MEMORY_BADRAM:
        return "bad RAM";
    default:
        /* Spec 3.6.8: any other value is reserved memory. */
        return "unknown (reserved)";
    }
}
