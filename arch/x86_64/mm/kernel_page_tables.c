/*
 * The kernel's own page tables. The boot tables (boot/entry32.asm,
 * arch/x86_64/mm/boot_page_tables.c) map the kernel writable and executable, twice (at its link
 * address and at address 0), plus what kmain's first steps needed; these replace them with a
 * mapping that gives each part of the kernel the rights it needs, and each piece of physical memory
 * its memory type.
 */
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/kernel_page_tables_selftest.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/cpu/cpu_protections.h"
#include "arch/x86_64/cpu/pat.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/tlb.h"
#include "arch/x86_64/pc/vga_text.h"
#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"

/* Separate pieces of the direct map after merging; a real machine has a handful. */
#define MAX_DIRECT_RANGES 64

static uint64_t kernel_root;
static struct kernel_page_tables_facts facts;

/*
 * A piece of the direct map and its memory type (PTE_TYPE_*). The effective type of an access
 * combines the page's PAT type with the MTRRs' type for the address (Intel SDM Vol. 3A 11.5.2.2):
 * WB pages over memory the MTRRs call UC are uncached, and WC pages are write-combined whatever
 * the MTRRs say, which is what a framebuffer needs.
 */
struct direct_range {
    uint64_t base;
    uint64_t length;
    uint64_t type;
};

/* Ranges to direct-map, kept sorted by base; touching ranges of the same type are merged. */
static struct direct_range direct[MAX_DIRECT_RANGES];
static size_t direct_count;

/*
 * Table frames must be reachable through the window while it is still the boot tables' direct
 * map (arch_map_memory_early), so they come from below its limit, whatever that is at the time.
 */
static uint64_t alloc_table(void)
{
    return pmm_alloc_below(phys_window_limit());
}

static bool overlap(uint64_t start, uint64_t end, const struct direct_range *r)
{
    return start < r->base + r->length && r->base < end;
}

/*
 * Adds [base, base + length) to the sorted list, merged with the ranges of the same type it
 * touches: widened to whole pages, or narrowed to them when `inner` (a page only partly memory
 * is not mapped as memory). A range that overlaps one of another type would give a page two
 * memory types, which the SDM does not support (Vol. 3A 11.12.4): it is reported and left out.
 */
static void add_direct(uint64_t base, uint64_t length, uint64_t type, bool inner)
{
    uint64_t start = inner ? ALIGN_UP(base, PAGE_SIZE) : ALIGN_DOWN(base, PAGE_SIZE);
    uint64_t end =
        inner ? ALIGN_DOWN(base + length, PAGE_SIZE) : ALIGN_UP(base + length, PAGE_SIZE);

    if (length == 0 || end == start)
        return;
    if (end > DIRECT_MAP_MAX_SIZE || end < start) {
        kprintf("paging: 0x%llx-0x%llx is beyond the direct map's reach, not mapped\n",
                (unsigned long long)base, (unsigned long long)(base + length));
        return;
    }
    for (size_t k = 0; k < direct_count; k++) {
        if (direct[k].type != type && overlap(start, end, &direct[k])) {
            kprintf("paging: 0x%llx-0x%llx overlaps memory of another type, not mapped\n",
                    (unsigned long long)base, (unsigned long long)(base + length));
            return;
        }
    }

    /*
     * Skip the ranges before this one (those of another type that end where it starts too), then
     * swallow each same-type range it touches. Nothing of another type overlaps it, so the first
     * range not swallowed starts at or after its end.
     */
    size_t i = 0;
    while (i < direct_count &&
           (direct[i].base + direct[i].length < start ||
            (direct[i].base + direct[i].length == start && direct[i].type != type)))
        i++;
    size_t j = i;
    while (j < direct_count && direct[j].base <= end && direct[j].type == type) {
        if (direct[j].base < start)
            start = direct[j].base;
        if (direct[j].base + direct[j].length > end)
            end = direct[j].base + direct[j].length;
        j++;
    }
    /* Ranges [i, j) become one: close the gap, or open one slot if nothing was swallowed. */
    if (i == j && direct_count == MAX_DIRECT_RANGES)
        panic("paging: more than %d separate ranges to direct-map", MAX_DIRECT_RANGES);
    size_t removed = j - i;
    if (removed == 0) {
        for (size_t k = direct_count; k > i; k--)
            direct[k] = direct[k - 1];
        direct_count++;
    } else if (removed > 1) {
        for (size_t k = j; k < direct_count; k++)
            direct[k - removed + 1] = direct[k];
        direct_count -= removed - 1;
    }
    direct[i] = (struct direct_range){.base = start, .length = end - start, .type = type};
}

/*
 * Memory, whatever the firmware uses it for, is mapped write-back: available RAM, the ACPI
 * tables (reclaimable) and the firmware's ACPI storage (NVS). Reserved ranges are not mapped at
 * all: behind them lie ROMs, device registers or nothing, and a write-back mapping would let the
 * CPU read them speculatively, which has hung real machines. Whatever is needed there later is
 * mapped with kernel_map and an explicit uncached type. Bad RAM is never touched.
 */
static bool is_memory(const struct boot_mmap_entry *entry)
{
    return entry->type == MB2_MEMORY_AVAILABLE || entry->type == MB2_MEMORY_ACPI_RECLAIMABLE ||
           entry->type == MB2_MEMORY_NVS;
}

/*
 * ACPI 6.5 5.2.1: the tables live in memory the firmware reports as ACPI reclaimable, NVS or
 * reserved; SeaBIOS keeps them in a range it calls reserved. That range, firmware RAM, is mapped
 * write-back like the other two when it holds the root table the RSDP points to.
 */
static bool holds_acpi_root(const struct boot_info *info, const struct boot_mmap_entry *entry)
{
    uint64_t roots[] = {info->acpi_v1.present ? info->acpi_v1.rsdt_address : 0,
                        info->acpi_v2.present ? info->acpi_v2.rsdt_address : 0,
                        info->acpi_v2.present ? info->acpi_v2.xsdt_address : 0};

    if (entry->type != MB2_MEMORY_RESERVED)
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(roots); i++)
        if (roots[i] != 0 && roots[i] >= entry->base && roots[i] - entry->base < entry->length)
            return true;
    return false;
}

/*
 * Everything the kernel reaches through the direct map: memory, the ACPI tables, the boot
 * information and the modules (which the loader put in memory) write-back; the framebuffer,
 * wherever it lies, write-combining; the VGA text page uncached.
 */
static void collect_direct_map(const struct boot_info *info)
{
    struct boot_mmap_entry entry;

    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++)
        if (is_memory(&entry) || holds_acpi_root(info, &entry))
            add_direct(entry.base, entry.length, PTE_TYPE_WB, true);
    add_direct(info->mbi_start, info->mbi_end - info->mbi_start, PTE_TYPE_WB, false);
    struct boot_module module;
    for (uint32_t cursor = 0; boot_info_next_module(info, &cursor, &module);)
        add_direct(module.start, module.end - module.start, PTE_TYPE_WB, false);
    if (info->framebuffer.present && info->framebuffer.type == MB2_FRAMEBUFFER_RGB) {
        facts.framebuffer = info->framebuffer.address;
        add_direct(info->framebuffer.address,
                   (uint64_t)info->framebuffer.pitch * info->framebuffer.height, PTE_TYPE_WC,
                   false);
    }
    add_direct(VGA_TEXT_PHYS, PAGE_SIZE, PTE_TYPE_UC, false); /* one page of legacy video memory */
}

/*
 * paging_map_range uses a large page only where one fits wholly inside the range, and ranges of
 * different types are never merged: so no large page spans two kinds of memory, whose MTRR types
 * may differ (a large page over several MTRR types is undefined, Intel SDM Vol. 3A 11.11.9).
 */
static void map_direct(const struct direct_range *r)
{
    paging_map_range(kernel_root, DIRECT_MAP_BASE + r->base, r->base, r->length,
                     PTE_WRITABLE | PTE_NX | r->type);
}

static void map_kernel_section(const char *start, const char *end, uint64_t flags)
{
    paging_map_range(kernel_root, (uint64_t)(uintptr_t)start, kernel_virt_to_phys(start),
                     (uint64_t)(end - start), flags);
}

void arch_paging_init(const struct boot_info *info)
{
    facts.nx = cpu_has_nx();
    facts.pages_1g = cpu_has_1g_pages();
    paging_init(&(struct paging_config){
        .alloc_table = alloc_table,
        .nx_supported = facts.nx,
        .huge_1g_supported = facts.pages_1g,
    });
    kernel_root = paging_new_root();
    pat_init(); /* done already if the screen is a framebuffer: the WC type needs it */

    /* W^X: code is never writable, data never executable. The .boot sections stay out. */
    map_kernel_section(__text_start, __text_end, 0);
    map_kernel_section(__rodata_start, __rodata_end, PTE_NX);
    map_kernel_section(__ro_after_init_start, __bss_end, PTE_WRITABLE | PTE_NX);
    /* An overflow of a kernel stack runs into its guard page and faults, not corrupting .bss. */
    for (unsigned i = 0; i < STACK_GUARDS; i++) {
        uintptr_t guard = stack_guard_page(i);
        if (!IS_ALIGNED(guard, PAGE_SIZE))
            panic("paging: the stack guard at %p is not page aligned", (void *)guard);
        paging_unmap(kernel_root, guard);
    }

    collect_direct_map(info);
    for (size_t i = 0; i < direct_count; i++)
        map_direct(&direct[i]);
    facts.direct_map_end = direct[direct_count - 1].base + direct[direct_count - 1].length;

    /*
     * The order matters. EFER.NXE first: with it off, bit 63 of the new entries is reserved and
     * the first access through them would fault. CR0.WP next (Intel SDM Vol. 3A 2.5), without
     * which ring 0 writes straight through read-only pages. Then CR3: loading it flushes every
     * TLB entry (no page is global), so no stale boot-table translation survives.
     */
    if (facts.nx)
        mmu_enable_nx();
    mmu_enable_write_protect();
    mmu_load_root(kernel_root);
    phys_window_set(DIRECT_MAP_BASE, facts.direct_map_end);
}

/*
 * The boot-time data was written for the last time: from here on a write to it faults, on every
 * CPU (an AP's TLB may still hold the writable translation).
 */
void arch_protect_boot_data(void)
{
    uintptr_t start = (uintptr_t)__ro_after_init_start, end = (uintptr_t)__ro_after_init_end;

    paging_write_protect_range(kernel_root, start, end - start);
    tlb_shootdown(start, end - start);
}

void arch_paging_print(void)
{
    char protections[40];

    /* One line for the rights pages give and the rules the CPU adds: 80 columns at most. */
    cpu_protections_describe(protections, sizeof(protections));
    kprintf("paging: own tables, W^X; %s, %s\n", facts.nx ? "NX on" : "no NX in this CPU",
            protections);
    kprintf("direct map: 0x0 to 0x%llx in %zu ranges, %s pages\n",
            (unsigned long long)facts.direct_map_end, direct_count,
            facts.pages_1g ? "1 GiB" : "2 MiB");
}

uint64_t kernel_page_tables_root(void)
{
    return kernel_root;
}

void kernel_map(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    paging_map_range(kernel_root, virt, phys, size, flags);
}

void kernel_unmap(uint64_t virt, uint64_t size)
{
    paging_unmap_range(kernel_root, virt, size); /* flushes this CPU's TLB, page by page */
    tlb_shootdown(virt, size);
}

struct kernel_page_tables_facts kernel_page_tables_facts(void)
{
    return facts;
}
