/*
 * From the boot loader's memory map to the frame allocator. The map lists the kernel, the boot
 * information and the modules as available memory (Multiboot2 spec 3.6.8), so each of them must
 * be cut out here before any frame is handed out.
 *
 * Nothing is copied into tables: the allocator reads the ranges through lists (kernel/phys.h)
 * that walk the boot information itself, so there is no limit on memory map entries or modules.
 */
#include "kernel/memory.h"

#include "kernel/memory_selftest.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"

/* linker/kernel.ld: the whole image, from the multiboot2 header to the end of .bss. */
extern char __kernel_phys_start[], __kernel_phys_end[];

/* The boot information memory_init was given; it stays mapped and unchanged after boot. */
static const struct boot_info *boot_info;

/* The memory map's entries of one kind: available ones, or all the others. */
static bool next_entry(const struct boot_info *info, bool available, uint64_t *cursor,
                       struct phys_range *range)
{
    struct boot_mmap_entry entry;

    /* The parser guarantees base + length does not overflow. */
    while (boot_info_mmap_entry(info, (size_t)*cursor, &entry)) {
        ++*cursor;
        if ((entry.type == MB2_MEMORY_AVAILABLE) == available) {
            *range = (struct phys_range){.base = entry.base, .length = entry.length};
            return true;
        }
    }
    return false;
}

static bool next_usable(const void *info, uint64_t *cursor, struct phys_range *range)
{
    return next_entry(info, true, cursor, range);
}

/*
 * What is in use, in this order: the kernel image, the boot information, the framebuffer, then
 * each module; empty ones are left out. The cursor counts the first three; past them it is
 * IN_USE_FIXED plus the module walk's own cursor (kernel/boot_info.h).
 */
#define IN_USE_FIXED 3

static struct memory_in_use fixed_in_use(const struct boot_info *info, uint64_t which)
{
    const struct boot_framebuffer *fb = &info->framebuffer;
    uint64_t kernel_start = (uintptr_t)__kernel_phys_start;

    switch (which) {
    case 0:
        return (struct memory_in_use){{kernel_start, (uintptr_t)__kernel_phys_end - kernel_start},
                                      "the kernel image"};
    case 1:
        return (struct memory_in_use){{info->mbi_start, info->mbi_end - info->mbi_start},
                                      "the boot information"};
    default:
        return (struct memory_in_use){
            {fb->address, fb->present ? (uint64_t)fb->pitch * fb->height : 0}, "the framebuffer"};
    }
}

static bool next_in_use(const struct boot_info *info, uint64_t *cursor, struct memory_in_use *item)
{
    struct boot_module module;
    uint32_t module_cursor;

    while (*cursor < IN_USE_FIXED) {
        *item = fixed_in_use(info, (*cursor)++);
        if (item->range.length > 0)
            return true;
    }
    /* Empty modules (an empty file) hold nothing to keep out. */
    module_cursor = (uint32_t)(*cursor - IN_USE_FIXED);
    do {
        if (!boot_info_next_module(info, &module_cursor, &module))
            return false;
    } while (module.end == module.start);
    *cursor = IN_USE_FIXED + module_cursor;
    *item = (struct memory_in_use){{module.start, module.end - module.start}, "a module"};
    return true;
}

/* Excluded: every entry the map does not call available, then everything in use. */
static bool next_excluded(const void *context, uint64_t *cursor, struct phys_range *range)
{
    const struct boot_info *info = context;
    uint64_t entries = info->mmap.count;
    struct memory_in_use item;
    uint64_t in_use_cursor;

    if (*cursor < entries && next_entry(info, false, cursor, range))
        return true;
    in_use_cursor = *cursor - entries;
    if (!next_in_use(info, &in_use_cursor, &item))
        return false;
    *cursor = entries + in_use_cursor;
    *range = item.range;
    return true;
}

static struct phys_range_list usable_list, excluded_list;

bool memory_in_use(uint64_t *cursor, struct memory_in_use *item)
{
    return boot_info && next_in_use(boot_info, cursor, item);
}

const struct phys_range_list *memory_usable(void)
{
    return &usable_list;
}

const struct phys_range_list *memory_excluded(void)
{
    return &excluded_list;
}

void memory_init(const struct boot_info *info)
{
    if (info->mmap.entries == NULL)
        panic("memory: the boot loader gave no memory map");

    boot_info = info;
    usable_list = (struct phys_range_list){next_usable, info};
    excluded_list = (struct phys_range_list){next_excluded, info};
    pmm_init_lists(&usable_list, &excluded_list);
}
