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
#include "kernel/smp.h"
#include "kernel/string.h"

/* Module names and command lines longer than this are cut, so a row never wraps. */
#define TEXT_MAX 56

/*
 * Strings from the boot loader end in NUL (the parser checked), but may hold anything else:
 * control characters or escape sequences would mess up the screen, so only printable ASCII is
 * copied to buf, anything else as '?', and at most max characters of it, then "..." if cut.
 */
static void printable_copy(char buf[static TEXT_MAX + 4], const char *text, size_t max)
{
    size_t i;

    for (i = 0; i < max && i < TEXT_MAX && text[i] != '\0'; i++)
        buf[i] = text[i] >= ' ' && text[i] <= '~' ? text[i] : '?';
    if (text[i] != '\0') {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
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
        boot_facts_format_size(size, sizeof(size), ignored.length);
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
        boot_facts_part(&column, part);
    }
    if (info->has_efi64) {
        ksnprintf(part, sizeof(part), "EFI system table 0x%llx",
                  (unsigned long long)info->efi64_system_table);
        boot_facts_part(&column, part);
    }
}

/*
 * Multiboot2 hands over a copy of the RSDP inside the boot information (spec 3.6.17/3.6.18), not
 * where the firmware keeps it; the copy's address is reported, then what kernel/acpi.c found.
 */
static void print_acpi(const struct boot_info *info)
{
    acpi_print_facts(acpi_get(), acpi_rsdp_copy_phys(info));
}

static void print_modules(const struct boot_info *info)
{
    struct boot_module module;
    char size[16], name[TEXT_MAX + 4];

    kprintf("modules: %zu\n", info->modules.count);
    for (uint32_t cursor = 0; boot_info_next_module(info, &cursor, &module);) {
        boot_facts_format_size(size, sizeof(size), module.end - module.start);
        printable_copy(name, module.name, TEXT_MAX - 8);
        kprintf("  0x%016llx  %10s  %s\n", (unsigned long long)module.start, size, name);
    }
}

/*
 * "boot information at 0x170520 (1648 bytes), command line: (none)", the command line on a line
 * of its own if it would not fit; one print, so nothing can land inside the line.
 */
static void print_boot_information(const struct boot_info *info)
{
    char where[48], cmdline[TEXT_MAX + 4];
    static const char label[] = ", command line: ";

    size_t length = ksnprintf(where, sizeof(where), "boot information at 0x%llx (%llu bytes)",
                              (unsigned long long)info->mbi_start,
                              (unsigned long long)(info->mbi_end - info->mbi_start));
    printable_copy(cmdline, info->cmdline && info->cmdline[0] ? info->cmdline : "(none)", TEXT_MAX);
    bool fits = length + strlen(label) + strlen(cmdline) < BOOT_FACTS_COLUMNS;
    kprintf("%s%s%s\n", where, fits ? label : ",\n  command line: ", cmdline);
}

void boot_facts_print(const struct boot_info *info)
{
    print_boot_information(info);
    boot_facts_print_memory(info);
    print_framebuffer(&info->framebuffer);
    print_acpi(info);
    arch_interrupts_print_facts();
    smp_print_facts();
    clock_print_facts();
    input_print_facts();
    print_modules(info);
    /* What keel made of it. */
    print_frames();
    arch_paging_print();
    print_heap();
}
