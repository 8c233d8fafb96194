/*
 * From the boot loader's memory map to the frame allocator. The map lists the kernel, the boot
 * information and the modules as available memory (Multiboot2 spec 3.6.8), so each of them must
 * be cut out here before any frame is handed out.
 */
#include "kernel/memory.h"

#include "kernel/compiler.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"

/*
 * Real maps have a few dozen entries; adjacent entries of the same kind are merged on the way in,
 * so these limits only bite on a map that is fragmented beyond any real machine's.
 */
#define MAX_USABLE   128
#define MAX_RESERVED 128
/* The kernel image, the boot information and the framebuffer, then one per module. */
#define MAX_IN_USE (3 + BOOT_INFO_MAX_MODULES)

/* linker/kernel.ld: the whole image, from the multiboot2 header to the end of .bss. */
extern char __kernel_phys_start[], __kernel_phys_end[];

static struct phys_range usable[MAX_USABLE];
static size_t usable_count;
static struct phys_range excluded[MAX_RESERVED + MAX_IN_USE];
static size_t excluded_count;
static struct memory_in_use in_use[MAX_IN_USE];
static size_t in_use_count;

/* Appends base/length to list, or extends the last range when it ends where this one starts. */
static void add_range(struct phys_range *list, size_t *count, size_t max, uint64_t base,
                      uint64_t length, const char *kind)
{
    if (length == 0)
        return;
    if (*count > 0 && list[*count - 1].base + list[*count - 1].length == base) {
        list[*count - 1].length += length;
        return;
    }
    if (*count == max)
        panic("memory: more than %zu separate %s ranges in the memory map", max, kind);
    list[(*count)++] = (struct phys_range){.base = base, .length = length};
}

static void keep_out(uint64_t start, uint64_t end, const char *what)
{
    if (end <= start)
        return;
    if (in_use_count == MAX_IN_USE)
        panic("memory: more than %d ranges to keep out of the allocator", MAX_IN_USE);
    in_use[in_use_count++] = (struct memory_in_use){
        .range = {.base = start, .length = end - start},
        .what = what,
    };
    add_range(excluded, &excluded_count, ARRAY_SIZE(excluded), start, end - start, "excluded");
}

const struct memory_in_use *memory_in_use(size_t *count)
{
    *count = in_use_count;
    return in_use;
}

const struct phys_range *memory_usable(size_t *count)
{
    *count = usable_count;
    return usable;
}

const struct phys_range *memory_excluded(size_t *count)
{
    *count = excluded_count;
    return excluded;
}

void memory_init(const struct boot_info *info)
{
    struct boot_mmap_entry entry;

    if (info->mmap.entries == NULL)
        panic("memory: the boot loader gave no memory map");

    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++) {
        /* The parser guarantees base + length does not overflow. */
        if (entry.type == MB2_MEMORY_AVAILABLE)
            add_range(usable, &usable_count, MAX_USABLE, entry.base, entry.length, "available");
        else
            add_range(excluded, &excluded_count, MAX_RESERVED, entry.base, entry.length,
                      "reserved");
    }

    keep_out((uintptr_t)__kernel_phys_start, (uintptr_t)__kernel_phys_end, "the kernel image");
    keep_out(info->mbi_start, info->mbi_end, "the boot information");
    for (size_t i = 0; i < info->module_count; i++)
        keep_out(info->modules[i].start, info->modules[i].end, "a module");
    if (info->framebuffer.present) {
        const struct boot_framebuffer *fb = &info->framebuffer;
        keep_out(fb->address, fb->address + (uint64_t)fb->pitch * fb->height, "the framebuffer");
    }

    pmm_init(usable, usable_count, excluded, excluded_count);
}
