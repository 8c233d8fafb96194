/*
 * Host tests for the memory types of the kernel's direct map (arch/x86_64/mm/kernel_page_tables.c):
 * arch_paging_init builds the kernel's tables in a malloc'd stand-in for RAM from a PC-like memory
 * map, and the tests walk the result. Memory is mapped write-back; reserved ranges are not; no
 * large page covers two kinds of memory-map range (Intel SDM Vol. 3A 11.11.9); the framebuffer is
 * write-combining and the VGA text page uncached.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/panic_double.h"

#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/cpu/cpu_protections.h"
#include "arch/x86_64/cpu/pat.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/mm/paging.h"
#include "kernel/arch.h"
#include "kernel/multiboot2.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

#define FAKE_RAM_SIZE (16 * MiB)
#define TABLES_START  (1 * MiB)
#define TYPE_BITS     (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE)

/* The kernel image's section bounds and the boot stack guard, as the linker script gives them. */
__asm__(".data\n.balign 4096\n"
        ".globl __text_start, __text_end, __rodata_start, __rodata_end\n"
        ".globl keel_data_start, __bss_end, boot_stack_guard, boot_stack_top\n"
        "__text_start: .skip 4096\n__text_end:\n"
        "__rodata_start: .skip 4096\n__rodata_end:\n"
        ".globl __ro_after_init_start, __ro_after_init_end\n"
        "__ro_after_init_start: .skip 4096\n__ro_after_init_end:\n"
        "keel_data_start: boot_stack_guard: .skip 4096\n.skip 4096\nboot_stack_top:\n__bss_end:\n"
        ".text\n");

static unsigned char *fake_ram;
static uint64_t next_table;

uint64_t pmm_alloc_below(uint64_t limit)
{
    if (next_table + 4 * KiB > limit || next_table + 4 * KiB > FAKE_RAM_SIZE)
        return PMM_NO_FRAME;
    next_table += 4 * KiB;
    return next_table - 4 * KiB;
}

bool cpu_has_nx(void)
{
    return true;
}

bool cpu_has_1g_pages(void)
{
    return true;
}

/* The kernel's stack guards: here all of them the one page the fake image leaves for it. */
uintptr_t stack_guard_page(unsigned i)
{
    (void)i;
    return (uintptr_t)boot_stack_guard;
}

/* What CR4 protects is the CPU's too; only arch_paging_print asks. */
void cpu_protections_describe(char *text, size_t size)
{
    snprintf(text, size, "none");
}

/* IA32_PAT is the CPU's; the tables only carry the PTE_TYPE_* bits. */
void pat_init(void)
{
}

void mmu_invalidate_page(uint64_t virt)
{
    (void)virt;
}

void mmu_load_root(uint64_t pml4_phys)
{
    (void)pml4_phys;
}

void mmu_enable_nx(void)
{
}

void mmu_enable_write_protect(void)
{
}

/* A PC's memory map, the kind GRUB passes on QEMU with 128 MiB and 1 GiB above 4 GiB. */
static const struct mb2_mmap_entry memory_map[] = {
    {0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0},
    {0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0},       /* the EBDA */
    {0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0},     /* the BIOS */
    {0x100000, 0x7de0000, MB2_MEMORY_AVAILABLE, 0}, /* to 0x7ee0000, not 2 MiB aligned */
    {0x7ee0000, 0x20000, MB2_MEMORY_ACPI_RECLAIMABLE, 0},
    {0x7f00000, 0x100000, MB2_MEMORY_RESERVED, 0}, /* shares a 2 MiB page with the ACPI tables */
    {0xfeffc000, 0x4000, MB2_MEMORY_RESERVED, 0},
    {0xfffc0000, 0x40000, MB2_MEMORY_RESERVED, 0},
    {0x100000000, GiB, MB2_MEMORY_AVAILABLE, 0},
};

#define FB_ADDRESS 0xfd000000ULL
#define FB_PITCH   (1280 * 4)
#define FB_HEIGHT  800
#define VGA_TEXT   0xb8000ULL

static struct boot_info info;

static int setup(void **state)
{
    (void)state;
    fake_ram = calloc(1, FAKE_RAM_SIZE);
    if (fake_ram == NULL)
        return -1;
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    next_table = TABLES_START;

    info.mbi_start = 0x7e00000;
    info.mbi_end = 0x7e02000;
    info.mmap.entries = (const uint8_t *)memory_map;
    info.mmap.count = sizeof(memory_map) / sizeof(memory_map[0]);
    info.mmap.entry_size = sizeof(memory_map[0]);
    info.framebuffer = (struct boot_framebuffer){
        .present = true,
        .address = FB_ADDRESS,
        .pitch = FB_PITCH,
        .width = 1280,
        .height = FB_HEIGHT,
        .bpp = 32,
        .type = MB2_FRAMEBUFFER_RGB,
    };
    arch_paging_init(&info);
    /* The switch pointed the window at the direct map; the tables live in fake RAM. */
    phys_window_set((uintptr_t)fake_ram, FAKE_RAM_SIZE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(fake_ram);
    return 0;
}

static bool lookup(uint64_t phys, struct paging_mapping *m)
{
    return paging_translate(kernel_page_tables_root(), DIRECT_MAP_BASE + phys, m);
}

/* RAM, ACPI or reserved, as the memory-map range holding phys says; 0 outside the map. */
static uint32_t map_type_at(uint64_t phys)
{
    for (size_t i = 0; i < info.mmap.count; i++)
        if (phys >= memory_map[i].base_addr &&
            phys - memory_map[i].base_addr < memory_map[i].length)
            return memory_map[i].type;
    return 0;
}

static bool is_ram(uint32_t type)
{
    return type == MB2_MEMORY_AVAILABLE || type == MB2_MEMORY_ACPI_RECLAIMABLE;
}

/* What lies at phys, as far as memory types go: memory, the framebuffer, or something else. */
enum kind { KIND_OTHER, KIND_MEMORY, KIND_FRAMEBUFFER };

static enum kind kind_at(uint64_t phys)
{
    if (is_ram(map_type_at(phys)))
        return KIND_MEMORY;
    if (phys >= FB_ADDRESS && phys - FB_ADDRESS < (uint64_t)FB_PITCH * FB_HEIGHT)
        return KIND_FRAMEBUFFER;
    return KIND_OTHER;
}

static void test_memory_is_mapped_write_back(void **state)
{
    struct paging_mapping m;

    (void)state;
    for (size_t i = 0; i < info.mmap.count; i++) {
        const struct mb2_mmap_entry *e = &memory_map[i];
        /* The whole pages of the range: a page only partly memory need not be mapped. */
        uint64_t first = (e->base_addr + 4 * KiB - 1) & ~(4 * KiB - 1);
        uint64_t last = ((e->base_addr + e->length) & ~(4 * KiB - 1)) - 1;
        uint64_t probes[] = {first, first + (last - first) / 2, last};

        if (!is_ram(e->type))
            continue;
        for (size_t j = 0; j < 3; j++) {
            assert_true(lookup(probes[j], &m));
            assert_int_equal(m.flags & TYPE_BITS, PTE_TYPE_WB);
            assert_true(m.flags & PTE_WRITABLE);
            assert_true(m.flags & PTE_NX);
        }
    }
}

static void test_reserved_ranges_are_not_mapped_write_back(void **state)
{
    struct paging_mapping m;

    (void)state;
    for (size_t i = 0; i < info.mmap.count; i++) {
        const struct mb2_mmap_entry *e = &memory_map[i];

        if (e->type != MB2_MEMORY_RESERVED)
            continue;
        for (uint64_t p = e->base_addr; p < e->base_addr + e->length; p += 4 * KiB)
            if (lookup(p, &m))
                assert_int_not_equal(m.flags & TYPE_BITS, PTE_TYPE_WB);
    }
}

/* Every large page of the direct map lies in one kind of range: all memory, or all framebuffer. */
static void test_no_large_page_spans_two_kinds_of_range(void **state)
{
    struct paging_mapping m;
    size_t large = 0;

    (void)state;
    for (uint64_t p = 0; p < 8 * GiB;) {
        if (!lookup(p, &m)) {
            p += 4 * KiB;
            continue;
        }
        uint64_t start = p - (p & (m.page_size - 1));
        if (m.page_size > 4 * KiB) {
            large++;
            enum kind kind = kind_at(start);

            assert_int_not_equal(kind, KIND_OTHER);
            for (uint64_t q = start; q < start + m.page_size; q += 4 * KiB) {
                if (kind_at(q) != kind)
                    print_error("the %llu KiB page at 0x%llx spans two kinds at 0x%llx\n",
                                (unsigned long long)(m.page_size / KiB), (unsigned long long)start,
                                (unsigned long long)q);
                assert_int_equal(kind_at(q), kind);
            }
        }
        p = start + m.page_size;
    }
    /* The test means something only if large pages are used at all. */
    assert_true(large > 0);
}

static void test_framebuffer_is_write_combining(void **state)
{
    struct paging_mapping m;

    (void)state;
    for (uint64_t p = FB_ADDRESS; p < FB_ADDRESS + (uint64_t)FB_PITCH * FB_HEIGHT; p += 4 * KiB) {
        assert_true(lookup(p, &m));
        assert_int_equal(m.flags & TYPE_BITS, PTE_TYPE_WC);
        assert_true(m.flags & PTE_WRITABLE);
    }
}

static void test_vga_text_page_is_uncached(void **state)
{
    struct paging_mapping m;

    (void)state;
    assert_true(lookup(VGA_TEXT, &m));
    assert_int_equal(m.flags & TYPE_BITS, PTE_TYPE_UC);
    assert_int_equal(m.page_size, 4 * KiB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_is_mapped_write_back),
        cmocka_unit_test(test_reserved_ranges_are_not_mapped_write_back),
        cmocka_unit_test(test_no_large_page_spans_two_kinds_of_range),
        cmocka_unit_test(test_framebuffer_is_write_combining),
        cmocka_unit_test(test_vga_text_page_is_uncached),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
