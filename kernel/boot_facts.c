/*
 * The boot facts: what the boot loader and the firmware told the kernel, printed once at boot in
 * 80 columns, so a user sees the machine keel found (and tests can compare it with what QEMU was
 * given).
 */
#include "kernel/boot_facts.h"

#include "kernel/acpi.h"
#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/compiler.h"
#include "kernel/input.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/string.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

/* Module names and command lines longer than this are cut, so a row never wraps. */
#define TEXT_MAX 56

/*
 * Strings from the boot loader end in NUL (the parser checked), but may hold anything else:
 * control characters or escape sequences would mess up the screen, so only printable ASCII goes
 * out, anything else as '?'.
 */
static void print_text(const char *text, size_t max)
{
    size_t i;

    for (i = 0; i < max && text[i] != '\0'; i++) {
        char c = text[i];
        kprintf("%c", c >= ' ' && c <= '~' ? c : '?');
    }
    if (text[i] != '\0')
        kprintf("...");
}

/*
 * A size in the largest binary unit that shows it exactly or in at least 100 units, so a rounded
 * figure is off by under 1%: "639 KiB", "2014 MiB", "4 GiB".
 */
static void format_size(char *buf, size_t size, uint64_t bytes)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    uint64_t unit = GIB;

    for (size_t i = 0; i < ARRAY_SIZE(units); i++, unit /= 1024) {
        if (bytes >= unit && (bytes % unit == 0 || bytes / unit >= 100)) {
            ksnprintf(buf, size, "%llu %s", (unsigned long long)(bytes / unit), units[i]);
            return;
        }
    }
    ksnprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
}

uint64_t boot_facts_usable_bytes(const struct boot_info *info)
{
    struct boot_mmap_entry entry;
    uint64_t total = 0;

    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++)
        if (entry.type == MB2_MEMORY_AVAILABLE)
            total += entry.length;
    return total;
}

/*
 * One row per entry, as the firmware reported it (not sorted, not merged), so what is on screen
 * is what the allocator was built from. Ranges are [start, end): end is one past the last byte.
 */
static void print_memory_map(const struct boot_info *info)
{
    struct boot_mmap_entry entry;
    char size[16];

    if (info->mmap.entries == NULL) {
        kprintf("memory map: none (the boot loader gave no memory map)\n");
        return;
    }
    kprintf("memory map: %zu entries\n", info->mmap.count);
    kprintf("  %-18s  %-18s  %10s  %s\n", "start", "end", "size", "type");
    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++) {
        format_size(size, sizeof(size), entry.length);
        kprintf("  0x%016llx  0x%016llx  %10s  %s\n", (unsigned long long)entry.base,
                (unsigned long long)(entry.base + entry.length), size, mmap_type_name(entry.type));
    }
    uint64_t usable = boot_facts_usable_bytes(info);
    kprintf("usable memory: %llu bytes (%llu MiB)", (unsigned long long)usable,
            (unsigned long long)(usable / MIB));
    /* Spec 3.6.7: the BIOS's own count, below 640 KiB and from 1 MiB to the first hole. */
    if (info->meminfo.present) {
        char lower[16], upper[16];
        format_size(lower, sizeof(lower), (uint64_t)info->meminfo.lower_kib * KIB);
        format_size(upper, sizeof(upper), (uint64_t)info->meminfo.upper_kib * KIB);
        kprintf(", BIOS count %s + %s", lower, upper);
    }
    kprintf("\n");
}

/* What the frame allocator (kernel/memory.c) kept of the usable memory. */
static void print_frames(void)
{
    struct phys_range bitmaps = pmm_bookkeeping();

    struct phys_range ignored = pmm_ignored();

    kprintf("frame allocator: %zu frames free (%llu MiB), bitmaps at 0x%llx (%llu KiB)\n",
            pmm_free_count(), (unsigned long long)(pmm_free_count() * PAGE_SIZE / MIB),
            (unsigned long long)bitmaps.base, (unsigned long long)(bitmaps.length / KIB));
    if (ignored.length > 0) {
        char size[16];
        format_size(size, sizeof(size), ignored.length);
        kprintf("frame allocator: left out %s of usable memory from 0x%llx, too far above the rest "
                "for its bitmaps\n",
                size, (unsigned long long)ignored.base);
    }
}

/*
 * The heap: what its blocks hold against what it keeps, then slab pages per size class ("64:8" is
 * 8 pages of 64-byte blocks). An empty heap with the default checks, as at every plain boot, gets
 * no line: the boot facts must leave the banner on a 25-line screen.
 */
static void print_heap(void)
{
    struct heap_stats heap = heap_stats();
    size_t shown = 0;

    if (!heap_debug() && heap.small_held == 0 && heap.large_held == 0)
        return;
    kprintf("heap: %s checks, small: %llu B in %llu KiB of slabs, large: %llu (%llu B in %llu "
            "KiB)\n",
            heap_debug() ? "debug" : "default", (unsigned long long)heap.small_in_blocks,
            (unsigned long long)(heap.small_held / KIB), (unsigned long long)heap.large_blocks,
            (unsigned long long)heap.large_requested, (unsigned long long)(heap.large_held / KIB));
    for (size_t i = 0; i < HEAP_CLASS_COUNT; i++) {
        if (heap.classes[i].slabs == 0)
            continue;
        kprintf("%s %u:%u", shown == 0 ? "  slab pages per size class:" : "",
                heap.classes[i].block_size, heap.classes[i].slabs * KMALLOC_SLAB_PAGES);
        if (++shown % 6 == 0)
            kprintf("\n ");
    }
    if (shown)
        kprintf("\n");
}

static void print_framebuffer(const struct boot_framebuffer *fb)
{
    if (!fb->present) {
        kprintf("framebuffer: none\n");
        return;
    }
    if (fb->type == MB2_FRAMEBUFFER_EGA_TEXT) {
        kprintf("framebuffer: EGA text, %ux%u characters at 0x%llx\n", fb->width, fb->height,
                (unsigned long long)fb->address);
        return;
    }
    kprintf("framebuffer: %ux%u, %u bits per pixel, %s, pitch %u, at 0x%llx\n", fb->width,
            fb->height, fb->bpp, fb->type == MB2_FRAMEBUFFER_RGB ? "RGB" : "indexed", fb->pitch,
            (unsigned long long)fb->address);
    if (fb->type == MB2_FRAMEBUFFER_INDEXED)
        kprintf("framebuffer palette: %u colours\n", fb->palette_count);
}

/* Adds ", <part>" to a line *column characters long, on a new line if it would pass column 79. */
static void fact_part(size_t *column, const char *part)
{
    size_t length = strlen(part);

    if (*column + 2 + length >= 80) {
        kprintf(",\n  ");
        *column = 2;
    } else {
        kprintf(", ");
        *column += 2;
    }
    kprintf("%s", part);
    *column += length;
}

void boot_facts_print_origin(const struct boot_info *info, size_t column)
{
    char part[64];

    if (info->bootdev.present) {
        /* Spec 3.6.6: 0xffffffff means the field does not apply. */
        ksnprintf(part, sizeof(part), "from BIOS drive 0x%x", info->bootdev.biosdev);
        if (info->bootdev.partition != UINT32_MAX)
            ksnprintf(part + strlen(part), sizeof(part) - strlen(part), " partition %u",
                      info->bootdev.partition);
        if (info->bootdev.sub_partition != UINT32_MAX)
            ksnprintf(part + strlen(part), sizeof(part) - strlen(part), ".%u",
                      info->bootdev.sub_partition);
        fact_part(&column, part);
    }
    if (info->has_efi64) {
        ksnprintf(part, sizeof(part), "EFI system table 0x%llx",
                  (unsigned long long)info->efi64_system_table);
        fact_part(&column, part);
    }
}

/*
 * Multiboot2 hands over a copy of the RSDP inside the boot information (spec 3.6.17/3.6.18), not
 * where the firmware keeps it; the copy's address is reported, then what kernel/acpi.c found.
 */
static void print_acpi(const struct boot_info *info)
{
    const struct boot_rsdp *rsdp = info->acpi_v2.present ? &info->acpi_v2 : &info->acpi_v1;
    uint64_t copy = 0;

    if (rsdp->present)
        copy = info->mbi_start +
               (uint64_t)((const char *)rsdp->table - (const char *)phys_to_virt(info->mbi_start));
    acpi_print_facts(acpi_get(), copy);
}

static void print_modules(const struct boot_info *info)
{
    struct boot_module module;
    char size[16];

    kprintf("modules: %zu\n", info->modules.count);
    for (uint32_t cursor = 0; boot_info_next_module(info, &cursor, &module);) {
        format_size(size, sizeof(size), module.end - module.start);
        kprintf("  0x%016llx  %10s  ", (unsigned long long)module.start, size);
        print_text(module.name, TEXT_MAX - 8);
        kprintf("\n");
    }
}

void boot_facts_print(const struct boot_info *info)
{
    kprintf("boot information at 0x%llx (%llu bytes)\n", (unsigned long long)info->mbi_start,
            (unsigned long long)(info->mbi_end - info->mbi_start));
    kprintf("command line: ");
    print_text(info->cmdline && info->cmdline[0] ? info->cmdline : "(none)", TEXT_MAX);
    kprintf("\n");
    print_memory_map(info);
    print_framebuffer(&info->framebuffer);
    print_acpi(info);
    clock_print_facts();
    input_print_facts();
    print_modules(info);
    /* What keel made of it. */
    print_frames();
    arch_paging_print();
    print_heap();
}
