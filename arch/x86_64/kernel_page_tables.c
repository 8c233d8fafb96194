/*
 * The kernel's own page tables. The boot tables (boot/entry32.asm) map everything writable and
 * executable, only the first 4 GiB, and the identity map at address 0; these replace them with
 * a mapping that gives each part of the kernel the rights it needs and nothing more.
 */
#include "arch/x86_64/kernel_page_tables.h"
#include "arch/x86_64/kernel_page_tables_selftest.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu_protections.h"
#include "arch/x86_64/memory_layout.h"
#include "arch/x86_64/mmu.h"
#include "arch/x86_64/stack.h"
#include "kernel/arch.h"
#include "kernel/compiler.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"

/* Below LOW_MEMORY_END lie the VGA text buffer (0xb8000), the EBDA and the BIOS: always mapped. */
#define FIRST_4_GIB 0x100000000ULL

/*
 * The direct map uses 4 KiB pages below this address. The fixed-range MTRRs give the first 1 MiB
 * several memory types (RAM, VGA memory, ROMs), and a large page over memory of differing MTRR
 * types is undefined (Intel SDM Vol. 3A, 11.11.9).
 */
#define SMALL_PAGES_END 0x200000ULL

/* Separate pieces of the direct map after merging; a real machine has a handful. */
#define MAX_DIRECT_RANGES 64

static uint64_t kernel_root;
static struct kernel_page_tables_facts facts;

/* Ranges to direct-map, kept sorted by base, merged where they touch. */
static struct phys_range direct[MAX_DIRECT_RANGES];
static size_t direct_count;

/*
 * Table frames must be reachable through the window while it is still the boot direct map
 * (the first 4 GiB), so they come from below its limit, whatever that is at the time.
 */
static uint64_t alloc_table(void)
{
    return pmm_alloc_below(phys_window_limit());
}

/* Adds [base, base + length), widened to whole pages, to the sorted, merged list. */
static void add_direct(uint64_t base, uint64_t length)
{
    if (length == 0)
        return;
    uint64_t start = ALIGN_DOWN(base, PAGE_SIZE);
    uint64_t end = ALIGN_UP(base + length, PAGE_SIZE);
    if (end > DIRECT_MAP_MAX_SIZE || end < start) {
        kprintf("paging: 0x%llx-0x%llx is beyond the direct map's reach, not mapped\n",
                (unsigned long long)base, (unsigned long long)(base + length));
        return;
    }

    /* Skip the ranges wholly before this one, then swallow every range it touches. */
    size_t i = 0;
    while (i < direct_count && direct[i].base + direct[i].length < start)
        i++;
    size_t j = i;
    while (j < direct_count && direct[j].base <= end) {
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
    direct[i] = (struct phys_range){.base = start, .length = end - start};
}

/*
 * Whether a memory map entry goes into the direct map. Memory does, whatever the firmware uses it
 * for. Reserved entries below 4 GiB do too: firmware keeps tables there (SeaBIOS puts the ACPI
 * tables in memory it calls reserved), and the boot tables mapped all of it anyway. Reserved
 * entries above 4 GiB are mostly address space with nothing behind it (QEMU reports its 12 GiB
 * HyperTransport hole below 1 TiB): whatever is needed there can be mapped with kernel_map. Bad
 * RAM is never touched.
 */
static bool direct_mapped(const struct boot_mmap_entry *entry)
{
    switch (entry->type) {
    case MB2_MEMORY_AVAILABLE:
    case MB2_MEMORY_ACPI_RECLAIMABLE:
    case MB2_MEMORY_NVS:
        return true;
    case MB2_MEMORY_BADRAM:
        return false;
    default:
        return entry->base + entry->length <= FIRST_4_GIB;
    }
}

/*
 * Everything the kernel may reach through the direct map: memory, firmware areas, the boot
 * information, modules and the framebuffer, wherever it lies, even above 4 GiB. Cacheability is
 * left to the MTRRs, which the firmware set to uncached for device memory.
 */
static void collect_direct_map(const struct boot_info *info)
{
    struct boot_mmap_entry entry;

    add_direct(0, LOW_MEMORY_END);
    for (size_t i = 0; boot_info_mmap_entry(info, i, &entry); i++)
        if (direct_mapped(&entry))
            add_direct(entry.base, entry.length);
    add_direct(info->mbi_start, info->mbi_end - info->mbi_start);
    struct boot_module module;
    for (uint32_t cursor = 0; boot_info_next_module(info, &cursor, &module);)
        add_direct(module.start, module.end - module.start);
    if (info->framebuffer.present)
        add_direct(info->framebuffer.address,
                   (uint64_t)info->framebuffer.pitch * info->framebuffer.height);
}

static void map_direct(uint64_t base, uint64_t length)
{
    uint64_t end = base + length;

    for (; base < end && base < SMALL_PAGES_END; base += PAGE_SIZE)
        paging_map(kernel_root, DIRECT_MAP_BASE + base, base, PTE_WRITABLE | PTE_NX);
    if (base < end)
        paging_map_range(kernel_root, DIRECT_MAP_BASE + base, base, end - base,
                         PTE_WRITABLE | PTE_NX);
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
        map_direct(direct[i].base, direct[i].length);
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

/* The boot-time data was written for the last time: from here on a write to it faults. */
void arch_protect_boot_data(void)
{
    uintptr_t start = (uintptr_t)__ro_after_init_start, end = (uintptr_t)__ro_after_init_end;

    paging_write_protect_range(kernel_root, start, end - start);
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
    paging_unmap_range(kernel_root, virt, size);
}

struct kernel_page_tables_facts kernel_page_tables_facts(void)
{
    return facts;
}
