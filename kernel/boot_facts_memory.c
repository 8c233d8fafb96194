/*
 * The memory map in the boot facts: a few wrapped lines on the boot screen, which must leave room
 * for the banner and what comes after it on 25 rows, and the full table for a closer look (the
 * monitor's `mem`). Both list every entry as the firmware reported it (not sorted, not merged), so
 * what is shown is what the frame allocator was built from. Ranges are [start, end): end is one
 * past the last byte.
 */
#include "kernel/boot_facts.h"

#include "kernel/compiler.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"
#include "kernel/string.h"

void boot_facts_format_size(char *buf, size_t size, uint64_t bytes)
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

/* ", <part>" (" <part>" for a line's first), on a new indented line if it would reach the end. */
static void put_part(size_t *column, bool first, const char *part)
{
    const char *separator = first ? " " : ", ";

    if (*column + strlen(separator) + strlen(part) >= BOOT_FACTS_COLUMNS) {
        kprintf("%s\n  ", first ? "" : ",");
        *column = 2;
    } else {
        *column += kprintf("%s", separator);
    }
    *column += kprintf("%s", part);
}

void boot_facts_part(size_t *column, const char *part)
{
    put_part(column, false, part);
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

/* "usable memory: 133692416 bytes (127 MiB), BIOS count 639 KiB + 126 MiB" */
static void print_usable(const struct boot_info *info)
{
    uint64_t usable = boot_facts_usable_bytes(info);

    kprintf("usable memory: %llu bytes (%llu MiB)", (unsigned long long)usable,
            (unsigned long long)(usable / MIB));
    /* Spec 3.6.7: the BIOS's own count, below 640 KiB and from 1 MiB to the first hole. */
    if (info->meminfo.present) {
        char lower[16], upper[16];
        boot_facts_format_size(lower, sizeof(lower), (uint64_t)info->meminfo.lower_kib * KIB);
        boot_facts_format_size(upper, sizeof(upper), (uint64_t)info->meminfo.upper_kib * KIB);
        kprintf(", BIOS count %s + %s", lower, upper);
    }
    kprintf("\n");
}

/* False, after saying so, if the loader gave no map. */
static bool have_map(const struct boot_info *info)
{
    if (info->mmap.entries != NULL)
        return true;
    kprintf("memory map: none (the boot loader gave no memory map)\n");
    return false;
}

/*
 * "memory map (7 entries): 0x0-0x9fc00 available, 0x9fc00-0xa0000 reserved, ..." wrapped before
 * column 80, then the usable total.
 */
void boot_facts_print_memory(const struct boot_info *info)
{
    struct boot_mmap_entry entry;
    char part[64];

    if (!have_map(info))
        return;
    size_t column =
        kprintf("memory map (%zu entr%s):", info->mmap.count, info->mmap.count == 1 ? "y" : "ies");
    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++) {
        ksnprintf(part, sizeof(part), "0x%llx-0x%llx %s", (unsigned long long)entry.base,
                  (unsigned long long)(entry.base + entry.length), mmap_type_name(entry.type));
        put_part(&column, i == 0, part);
    }
    kprintf("\n");
    print_usable(info);
}

/* One row per entry, with its size, under a header; then the usable total. */
void boot_facts_print_memory_table(const struct boot_info *info)
{
    struct boot_mmap_entry entry;
    char size[16];

    if (!have_map(info))
        return;
    kprintf("memory map: %zu entries\n", info->mmap.count);
    kprintf("  %-18s  %-18s  %10s  %s\n", "start", "end", "size", "type");
    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++) {
        boot_facts_format_size(size, sizeof(size), entry.length);
        kprintf("  0x%016llx  0x%016llx  %10s  %s\n", (unsigned long long)entry.base,
                (unsigned long long)(entry.base + entry.length), size, mmap_type_name(entry.type));
    }
    print_usable(info);
}
