/*
 * In-kernel tests of the kernel's page tables: the rights of each section, checked both in the
 * tables and by the CPU itself (writes to code and constants fault, and so does running data when
 * the CPU has NX), the holes that must fault, and a direct map that reaches all memory.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/cpu/pat.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/kernel_page_tables_selftest.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/mm/mmu.h"
#include "arch/x86_64/pc/vga_text.h"
#include "arch/x86_64/traps/exceptions.h"
#include "kernel/compiler.h"
#include "kernel/memory_selftest.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"
#include "kernel/string.h"

/* Targets in each section: a constant, and a `ret` instruction stored as data. */
static const uint8_t rodata_target[16] = {0x5a};
static uint8_t data_code[16] = {0xc3};

/* In assembly: in C a read through a null pointer is undefined (and the UBSan build says so). */
static void read_byte(void *p)
{
    uint8_t byte;

    __asm__ volatile("movb (%1), %0" : "=q"(byte) : "r"(p) : "memory");
    (void)byte;
}

/* Writes back the byte that is there, so that if the write is wrongly allowed nothing changes. */
static void rewrite_byte(void *p)
{
    volatile uint8_t *b = p;
    *b = *b;
}

static void call_code(void *p)
{
    ((void (*)(void))p)();
}

static uint64_t addr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Runs fn(p), which must page-fault at p with all of error bits `expected` set. */
static bool page_faults(void (*fn)(void *), void *p, uint64_t expected)
{
    struct fault_info fault;

    if (!selftest_catch_fault(fn, p, &fault)) {
        selftest_fail(NULL, 0, "no fault at 0x%llx", (unsigned long long)addr(p));
        return false;
    }
    if (fault.vector != EXCEPTION_PAGE_FAULT || fault.address != addr(p) ||
        (fault.error_code & expected) != expected) {
        selftest_fail(NULL, 0,
                      "expected a page fault at 0x%llx (error bits 0x%llx), got %s at "
                      "0x%llx, error code 0x%llx",
                      (unsigned long long)addr(p), (unsigned long long)expected, fault.name,
                      (unsigned long long)fault.address, (unsigned long long)fault.error_code);
        return false;
    }
    return true;
}

SELFTEST(writing_kernel_text_faults)
{
    SELFTEST_ASSERT(cpu_read_cr0() & CR0_WRITE_PROTECT);
    SELFTEST_ASSERT(
        page_faults(rewrite_byte, (void *)(uintptr_t)rewrite_byte, PF_PRESENT | PF_WRITE));
    SELFTEST_ASSERT(page_faults(rewrite_byte, (void *)(uintptr_t)(addr(__text_end) - 1),
                                PF_PRESENT | PF_WRITE));
}

SELFTEST(writing_kernel_rodata_faults)
{
    SELFTEST_ASSERT(page_faults(rewrite_byte, (void *)rodata_target, PF_PRESENT | PF_WRITE));
    SELFTEST_ASSERT(page_faults(rewrite_byte, __rodata_start, PF_PRESENT | PF_WRITE));
}

/*
 * With NX, running the `ret` in .data must fault as an instruction fetch. Without it (e.g. -cpu
 * qemu64,-nx) the code runs, and the test checks instead that no entry carries the NX bit, which
 * would be a reserved-bit fault on such a CPU, and that EFER.NXE was left alone.
 */
SELFTEST(running_kernel_data_faults_when_the_cpu_has_nx)
{
    struct paging_mapping m;

    SELFTEST_ASSERT(paging_translate(kernel_page_tables_root(), addr(data_code), &m));
    if (kernel_page_tables_facts().nx) {
        SELFTEST_ASSERT(cpu_read_msr(MSR_EFER) & EFER_NX_ENABLE);
        SELFTEST_ASSERT(m.flags & PTE_NX);
        SELFTEST_ASSERT(page_faults(call_code, data_code, PF_PRESENT | PF_INSTRUCTION));
    } else {
        SELFTEST_ASSERT(!(cpu_read_msr(MSR_EFER) & EFER_NX_ENABLE));
        SELFTEST_ASSERT(!(m.flags & PTE_NX));
        SELFTEST_ASSERT(!selftest_catch_fault(call_code, data_code, NULL));
    }
}

/* Every page of [start, end) is mapped with exactly the rights given, to where it was loaded. */
static bool section_has_rights(const char *start, const char *end, bool writable, bool nx)
{
    struct paging_mapping m;
    uintptr_t guard;

    for (const char *page = start; page < end; page += PAGE_SIZE) {
        if (stack_guard_owner(addr(page), &guard))
            continue;
        if (!paging_translate(kernel_page_tables_root(), addr(page), &m) ||
            m.phys != kernel_virt_to_phys(page) || !!(m.flags & PTE_WRITABLE) != writable ||
            !!(m.flags & PTE_NX) != nx || (m.flags & PTE_USER)) {
            selftest_fail(NULL, 0, "page %p: wrong mapping or rights", (const void *)page);
            return false;
        }
    }
    return true;
}

SELFTEST(kernel_sections_have_their_rights_in_the_tables)
{
    bool nx = kernel_page_tables_facts().nx;

    SELFTEST_ASSERT(section_has_rights(__text_start, __text_end, false, false));
    SELFTEST_ASSERT(section_has_rights(__rodata_start, __rodata_end, false, nx));
    SELFTEST_ASSERT(section_has_rights(__ro_after_init_start, __ro_after_init_end, false, nx));
    SELFTEST_ASSERT(section_has_rights(__data_start, __bss_end, true, nx));
}

SELFTEST(null_page_and_low_identity_map_are_gone)
{
    struct paging_mapping m;

    SELFTEST_ASSERT(!paging_translate(kernel_page_tables_root(), 0, &m));
    /* Where the kernel was loaded, once reachable through the boot identity map. */
    SELFTEST_ASSERT(!paging_translate(kernel_page_tables_root(), KERNEL_PHYS_BASE, &m));
    SELFTEST_ASSERT(page_faults(read_byte, (void *)0, 0));
    SELFTEST_ASSERT(page_faults(read_byte, (void *)(uintptr_t)KERNEL_PHYS_BASE, 0));
}

SELFTEST(boot_stack_guard_page_faults)
{
    struct paging_mapping m;

    SELFTEST_ASSERT(!paging_translate(kernel_page_tables_root(), addr(boot_stack_guard), &m));
    SELFTEST_ASSERT(page_faults(read_byte, boot_stack_guard + PAGE_SIZE - 1, 0));
}

/* Each IST stack's guard page: unmapped, both ends of it, with the stack right above mapped. */
SELFTEST(ist_stack_guard_pages_fault)
{
    struct paging_mapping m;

    for (unsigned i = 1; i < STACK_GUARDS; i++) {
        char *guard = (char *)stack_guard_page(i);
        SELFTEST_ASSERT(!paging_translate(kernel_page_tables_root(), addr(guard), &m));
        SELFTEST_ASSERT(page_faults(read_byte, guard, 0));
        SELFTEST_ASSERT(page_faults(read_byte, guard + PAGE_SIZE - 1, 0));
        SELFTEST_ASSERT(paging_translate(kernel_page_tables_root(), addr(guard + PAGE_SIZE), &m));
    }
}

/* The guard pages are told apart in a report, which names the stack that overflowed. */
SELFTEST(stack_guards_name_their_stack)
{
    uintptr_t page = 0;

    SELFTEST_ASSERT(strcmp(stack_guard_owner(addr(boot_stack_guard) + 8, &page), "boot") == 0);
    SELFTEST_ASSERT_EQ(page, addr(boot_stack_guard));
    uintptr_t nmi_guard = stack_guard_page(IST_NMI);
    SELFTEST_ASSERT(strcmp(stack_guard_owner(nmi_guard + PAGE_SIZE - 1, &page), "NMI") == 0);
    SELFTEST_ASSERT_EQ(page, nmi_guard);
    SELFTEST_ASSERT(stack_guard_owner(nmi_guard + PAGE_SIZE, &page) == NULL);
    SELFTEST_ASSERT(stack_guard_owner(nmi_guard - 1, &page) == NULL);
}

/* phys is reachable at DIRECT_MAP_BASE + phys, writable and not executable. */
static bool direct_map_reaches(uint64_t phys)
{
    struct paging_mapping m;
    bool nx = kernel_page_tables_facts().nx;

    if (!paging_translate(kernel_page_tables_root(), DIRECT_MAP_BASE + phys, &m) ||
        m.phys != phys || !(m.flags & PTE_WRITABLE) || !!(m.flags & PTE_NX) != nx) {
        selftest_fail(NULL, 0, "physical 0x%llx is not direct-mapped as data",
                      (unsigned long long)phys);
        return false;
    }
    return true;
}

/*
 * Both ends of every usable range (its whole frames: a page only partly memory is not mapped as
 * memory) and of everything in use, the framebuffer included.
 */
SELFTEST(direct_map_reaches_memory_and_the_framebuffer)
{
    struct phys_range r;
    struct memory_in_use item;

    for (uint64_t cursor = 0; phys_range_next(memory_usable(), &cursor, &r);) {
        uint64_t first = ALIGN_UP(r.base, PAGE_SIZE);
        uint64_t end = ALIGN_DOWN(r.base + r.length, PAGE_SIZE);

        if (first >= end)
            continue;
        SELFTEST_ASSERT(direct_map_reaches(first));
        SELFTEST_ASSERT(direct_map_reaches(end - 1));
    }
    for (uint64_t cursor = 0; memory_in_use(&cursor, &item);) {
        SELFTEST_ASSERT(direct_map_reaches(item.range.base));
        SELFTEST_ASSERT(direct_map_reaches(item.range.base + item.range.length - 1));
    }
    /* The VGA text buffer, which the text console writes through the direct map. */
    SELFTEST_ASSERT(direct_map_reaches(VGA_TEXT_PHYS));
}

static uint64_t direct_map_type(uint64_t phys)
{
    struct paging_mapping m;

    if (!paging_translate(kernel_page_tables_root(), DIRECT_MAP_BASE + phys, &m))
        return ~0ULL;
    return m.flags & (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE);
}

/* IA32_PAT as paging.h's PTE_TYPE_* need it, and each kind of memory mapped with its type. */
SELFTEST(direct_map_memory_types)
{
    struct phys_range r, last = {0};

    for (uint64_t cursor = 0; phys_range_next(memory_usable(), &cursor, &r);)
        last = r;
    /* SDM Vol. 3A 11.12.2: entry 1 (PWT alone) write-combining (1), entry 3 (PCD|PWT) UC (0). */
    SELFTEST_ASSERT((cpu_read_msr(MSR_IA32_PAT) >> 8 & 0xff) == 0x01);
    SELFTEST_ASSERT((cpu_read_msr(MSR_IA32_PAT) >> 24 & 0xff) == 0x00);
    SELFTEST_ASSERT(last.length != 0);
    SELFTEST_ASSERT(direct_map_type(ALIGN_UP(last.base, PAGE_SIZE)) == PTE_TYPE_WB);
    SELFTEST_ASSERT(direct_map_type(VGA_TEXT_PHYS) == PTE_TYPE_UC);
    if (kernel_page_tables_facts().framebuffer)
        SELFTEST_ASSERT(direct_map_type(kernel_page_tables_facts().framebuffer) == PTE_TYPE_WC);
}

/* The mapping API: a page mapped at a fresh address reads what the frame holds, then unmaps. */
SELFTEST(kernel_map_and_unmap_a_page)
{
    /* Just past the dynamic mappings (kernel/vm.h): address space nothing else uses. */
    const uint64_t virt = KERNEL_DYNAMIC_BASE + KERNEL_DYNAMIC_SIZE;
    struct paging_mapping m;
    uint64_t frame = pmm_alloc();

    SELFTEST_ASSERT(frame != PMM_NO_FRAME);
    *(volatile uint64_t *)(DIRECT_MAP_BASE + frame) = 0x6b65656c;
    kernel_map(virt, frame, PAGE_SIZE, PTE_WRITABLE | PTE_NX);
    uint64_t seen = *(volatile uint64_t *)virt;
    kernel_unmap(virt, PAGE_SIZE);
    bool still_mapped = paging_translate(kernel_page_tables_root(), virt, &m);
    bool faults = page_faults(read_byte, (void *)virt, 0);
    pmm_free(frame);
    SELFTEST_ASSERT_EQ(seen, 0x6b65656c);
    SELFTEST_ASSERT(!still_mapped);
    SELFTEST_ASSERT(faults);
}
