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
 *   SMBIOS, network, EFI memory map, EFI image handles), are skipped after the generic checks.
 * - The memory map and other tags are optional here: the caller decides what it cannot boot
 *   without.
 */
#include "kernel/boot_info.h"

#include "kernel/compiler.h"
#include "kernel/multiboot2.h"
#include "kernel/string.h"

/*
 * ACPI 6.5 section 5.2.5.3: the Root System Description Pointer, and the byte offsets of the
 * fields the kernel reads.
 */
#define RSDP_SIGNATURE    "RSD PTR "
#define RSDP_V1_SIZE      20 /* the part covered by the first checksum */
#define RSDP_V2_SIZE      36 /* up to and including the reserved bytes */
#define RSDP_REVISION     15
#define RSDP_RSDT_ADDRESS 16
#define RSDP_LENGTH       20
#define RSDP_XSDT_ADDRESS 24

struct parser {
    const uint8_t *base; /* start of the boot information */
    uint32_t total_size;
    struct boot_info *info;
    struct boot_info_error *err;
    uint32_t seen; /* bit n set once a tag of type n has been parsed */
};

static bool fail(struct parser *p, const char *what, uint32_t offset)
{
    p->err->what = what;
    p->err->offset = offset;
    return false;
}

/* Tags are 8-byte aligned, but memcpy keeps every read free of alignment and aliasing rules. */
static uint32_t read_u32(const uint8_t *at)
{
    uint32_t v;

    memcpy(&v, at, sizeof(v));
    return v;
}

static uint64_t read_u64(const uint8_t *at)
{
    uint64_t v;

    memcpy(&v, at, sizeof(v));
    return v;
}

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
        return fail(p, what_fails, offset);
    *out = (const char *)s;
    return true;
}

static bool parse_cmdline(struct parser *p, uint32_t offset, uint32_t size)
{
    return parse_string_tag(p, offset, size, &p->info->cmdline, "command line not NUL-terminated");
}

static bool parse_loader_name(struct parser *p, uint32_t offset, uint32_t size)
{
    return parse_string_tag(p, offset, size, &p->info->loader_name,
                            "loader name not NUL-terminated");
}

static bool parse_module(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_module tag;
    const uint8_t *name = p->base + offset + sizeof(tag);
    struct boot_module *m;

    memcpy(&tag, p->base + offset, sizeof(tag));
    if (p->info->module_count == BOOT_INFO_MAX_MODULES)
        return fail(p, "too many modules", offset);
    if (tag.mod_end < tag.mod_start)
        return fail(p, "module ends before it starts", offset);
    if (!string_terminated(name, size - sizeof(tag)))
        return fail(p, "module name not NUL-terminated", offset);

    m = &p->info->modules[p->info->module_count++];
    m->start = tag.mod_start;
    m->end = tag.mod_end;
    m->name = (const char *)name;
    return true;
}

static bool parse_meminfo(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_basic_meminfo tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->meminfo.present = true;
    p->info->meminfo.lower_kib = tag.mem_lower;
    p->info->meminfo.upper_kib = tag.mem_upper;
    return true;
}

static bool parse_bootdev(struct parser *p, uint32_t offset, uint32_t size)
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

static bool parse_mmap(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_mmap tag;
    uint32_t first = offset + sizeof(tag);
    uint32_t bytes = size - sizeof(tag);
    uint32_t count;

    memcpy(&tag, p->base + offset, sizeof(tag));
    /* Spec 3.6.8: entry_size is a multiple of 8; later versions may only add fields at the end. */
    if (tag.entry_size < sizeof(struct mb2_mmap_entry))
        return fail(p, "memory map entry size below 24", offset + 8);
    if (!IS_ALIGNED(tag.entry_size, 8))
        return fail(p, "memory map entry size not a multiple of 8", offset + 8);
    if (bytes % tag.entry_size != 0)
        return fail(p, "memory map not a whole number of entries", offset);
    count = bytes / tag.entry_size;
    if (count == 0)
        return fail(p, "empty memory map", offset);

    for (uint32_t i = 0; i < count; i++) {
        uint32_t at = first + i * tag.entry_size;
        uint64_t base = read_u64(p->base + at);
        uint64_t length = read_u64(p->base + at + 8);

        /* An allocator computing base + length must not see it wrap around. */
        if (length > UINT64_MAX - base)
            return fail(p, "memory map entry wraps past 2^64", at);
    }

    p->info->mmap.entries = p->base + first;
    p->info->mmap.count = count;
    p->info->mmap.entry_size = tag.entry_size;
    return true;
}

/* Channels must lie inside the pixel, so that a shift by position never reaches the type width. */
static bool field_fits(uint8_t position, uint8_t size, uint8_t bpp)
{
    return (unsigned)position + size <= bpp;
}

static bool parse_framebuffer(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_framebuffer tag;
    struct boot_framebuffer *fb = &p->info->framebuffer;
    uint32_t extra = offset + sizeof(tag); /* the colour information */

    memcpy(&tag, p->base + offset, sizeof(tag));
    if ((uint64_t)tag.framebuffer_width * tag.framebuffer_bpp > (uint64_t)tag.framebuffer_pitch * 8)
        return fail(p, "framebuffer pitch shorter than a line", offset + 16);
    if ((uint64_t)tag.framebuffer_pitch * tag.framebuffer_height >
        UINT64_MAX - tag.framebuffer_addr)
        return fail(p, "framebuffer wraps past 2^64", offset + 8);

    switch (tag.framebuffer_type) {
    case MB2_FRAMEBUFFER_INDEXED: {
        struct mb2_framebuffer_palette pal;

        if (size < sizeof(tag) + sizeof(pal))
            return fail(p, "framebuffer palette truncated", offset);
        memcpy(&pal, p->base + extra, sizeof(pal));
        if ((uint32_t)pal.num_colors * sizeof(struct mb2_palette_color) >
            size - sizeof(tag) - sizeof(pal))
            return fail(p, "framebuffer palette truncated", offset);
        fb->palette = p->base + extra + sizeof(pal);
        fb->palette_count = pal.num_colors;
        break;
    }
    case MB2_FRAMEBUFFER_RGB: {
        struct mb2_framebuffer_rgb rgb;

        if (size < sizeof(tag) + sizeof(rgb))
            return fail(p, "framebuffer colour fields truncated", offset);
        memcpy(&rgb, p->base + extra, sizeof(rgb));
        if (tag.framebuffer_bpp == 0 || tag.framebuffer_bpp > 32)
            return fail(p, "framebuffer bpp out of range for RGB", offset + 28);
        if (!field_fits(rgb.red_field_position, rgb.red_mask_size, tag.framebuffer_bpp) ||
            !field_fits(rgb.green_field_position, rgb.green_mask_size, tag.framebuffer_bpp) ||
            !field_fits(rgb.blue_field_position, rgb.blue_mask_size, tag.framebuffer_bpp))
            return fail(p, "framebuffer colour field outside the pixel", extra);
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
        return fail(p, "unknown framebuffer type", offset + 29);
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

/* ACPI: a table is valid when all its bytes, checksum included, add up to 0 modulo 256. */
static bool checksum_ok(const uint8_t *bytes, uint32_t length)
{
    uint8_t sum = 0;

    for (uint32_t i = 0; i < length; i++)
        sum = (uint8_t)(sum + bytes[i]);
    return sum == 0;
}

/* The ACPI 1.0 part, common to both tags: signature, first checksum, RSDT address. */
static bool check_rsdp_v1(struct parser *p, uint32_t at, struct boot_rsdp *out)
{
    const uint8_t *rsdp = p->base + at;

    if (memcmp(rsdp, RSDP_SIGNATURE, 8) != 0)
        return fail(p, "bad RSDP signature", at);
    if (!checksum_ok(rsdp, RSDP_V1_SIZE))
        return fail(p, "bad RSDP checksum", at);
    out->present = true;
    out->table = rsdp;
    out->length = RSDP_V1_SIZE;
    out->revision = rsdp[RSDP_REVISION];
    out->rsdt_address = read_u32(rsdp + RSDP_RSDT_ADDRESS);
    return true;
}

/* Spec 3.6.17: tag 14 holds a copy of the ACPI 1.0 RSDP. */
static bool parse_acpi_old(struct parser *p, uint32_t offset, uint32_t size)
{
    (void)size;
    return check_rsdp_v1(p, offset + sizeof(struct mb2_tag), &p->info->acpi_v1);
}

/* Spec 3.6.18: tag 15 holds a copy of the ACPI 2.0+ RSDP, whose own length field says how long. */
static bool parse_acpi_new(struct parser *p, uint32_t offset, uint32_t size)
{
    uint32_t at = offset + sizeof(struct mb2_tag);
    const uint8_t *rsdp = p->base + at;
    uint32_t length = read_u32(rsdp + RSDP_LENGTH);
    struct boot_rsdp found = {0};

    if (!check_rsdp_v1(p, at, &found))
        return false;
    if (length < RSDP_V2_SIZE)
        return fail(p, "RSDP length below 36", at + RSDP_LENGTH);
    if (length > size - sizeof(struct mb2_tag))
        return fail(p, "RSDP length past its tag", at + RSDP_LENGTH);
    if (!checksum_ok(rsdp, length))
        return fail(p, "bad RSDP extended checksum", at);
    found.length = length;
    found.xsdt_address = read_u64(rsdp + RSDP_XSDT_ADDRESS);
    p->info->acpi_v2 = found;
    return true;
}

static bool parse_efi64(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_efi64 tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->has_efi64 = true;
    p->info->efi64_system_table = tag.pointer;
    return true;
}

static bool parse_load_base(struct parser *p, uint32_t offset, uint32_t size)
{
    struct mb2_tag_load_base_addr tag;

    (void)size;
    memcpy(&tag, p->base + offset, sizeof(tag));
    p->info->has_load_base = true;
    p->info->load_base = tag.load_base_addr;
    return true;
}

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
    {MB2_TAG_LOAD_BASE_ADDR, sizeof(struct mb2_tag_load_base_addr), false,
     "load base address tag too small", "duplicate load base address tag", parse_load_base},
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
        return fail(p, rule->too_small, offset);
    /* Every type with a rule is below 32, so it has a bit in seen. */
    if (!rule->repeats && (p->seen & (UINT32_C(1) << type)))
        return fail(p, rule->duplicate, offset);
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
        return fail(&p, "no boot information", 0);
    /* Spec 3.6.1: the structure starts 8-byte aligned, like every tag in it. */
    if (!IS_ALIGNED((uintptr_t)mbi, MB2_TAG_ALIGN))
        return fail(&p, "boot information not 8-byte aligned", 0);

    /* Spec 3.6.1: total_size comes first; nothing past it may be read. */
    p.total_size = read_u32(p.base);
    if (p.total_size < sizeof(struct mb2_info_header) + sizeof(struct mb2_tag))
        return fail(&p, "total size below 16", 0);
    if (p.total_size > BOOT_INFO_MAX_SIZE)
        return fail(&p, "total size above 1 MiB", 0);
    /* Tags start 8-aligned and the 8-byte end tag comes last, so the total is a multiple of 8. */
    if (!IS_ALIGNED(p.total_size, MB2_TAG_ALIGN))
        return fail(&p, "total size not a multiple of 8", 0);

    /* offset and total_size are multiples of 8, so a whole tag header always fits or nothing. */
    for (;;) {
        uint32_t room = p.total_size - offset;
        uint32_t type, size;

        if (room == 0)
            return fail(&p, "missing end tag", offset);
        type = read_u32(p.base + offset);
        size = read_u32(p.base + offset + 4);
        if (size < sizeof(struct mb2_tag))
            return fail(&p, "tag size below 8", offset);
        if (size > room)
            return fail(&p, "tag runs past the end", offset);

        if (type == MB2_TAG_END) {
            if (size != sizeof(struct mb2_tag))
                return fail(&p, "end tag size not 8", offset);
            if (room != sizeof(struct mb2_tag))
                return fail(&p, "data after the end tag",
                            offset + (uint32_t)sizeof(struct mb2_tag));
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
