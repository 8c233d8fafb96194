/*
 * In-kernel tests of the data that becomes read-only after boot (.data.ro_after_init): the CPU's
 * own IDT and the stack canary are in it, every page of it is read-only, on every CPU, and a write
 * to either of its ends faults while the first byte of .data beyond it stays writable.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/mm/kernel_page_tables_selftest.h"
#include "arch/x86_64/mm/memory_layout.h"
#include "arch/x86_64/traps/exceptions.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/selftest.h"
#include "kernel/smp_call.h"
#include "kernel/stack_protector.h"
#include "kernel/string.h"

extern uintptr_t __stack_chk_guard;

/* Writes back the byte that is there, so that if the write is wrongly allowed nothing changes. */
static void rewrite_byte(void *p)
{
    volatile uint8_t *b = p;
    *b = *b;
}

/* As addresses: the section's bounds are linker symbols, not one C object. */
static bool in_range(const void *p, const char *start, const char *end)
{
    return (uintptr_t)p >= (uintptr_t)start && (uintptr_t)p < (uintptr_t)end;
}

static bool in_boot_data(const void *p)
{
    return in_range(p, __ro_after_init_start, __ro_after_init_end);
}

/* Whether the write was refused as a read-only page refuses it: a page fault at p, present. */
static bool refused(const void *p, const struct fault_info *fault)
{
    return fault->vector == EXCEPTION_PAGE_FAULT && fault->address == (uint64_t)(uintptr_t)p &&
           (fault->error_code & (PF_PRESENT | PF_WRITE)) == (PF_PRESENT | PF_WRITE);
}

/* A write to p is refused by the page tables: a page fault at p, on a present page. */
static bool write_faults(void *p)
{
    struct fault_info fault;

    if (!selftest_catch_fault(rewrite_byte, p, &fault)) {
        selftest_fail(NULL, 0, "writing to %p did not fault", p);
        return false;
    }
    if (!refused(p, &fault)) {
        selftest_fail(NULL, 0, "writing to %p: %s at 0x%llx, error code 0x%llx", p, fault.name,
                      (unsigned long long)fault.address, (unsigned long long)fault.error_code);
        return false;
    }
    return true;
}

static void *current_idt(void)
{
    struct descriptor_table_pointer idtr;

    /* The table the CPU uses, wherever the code that filled it put it. */
    __asm__ volatile("sidt %0" : "=m"(idtr));
    return (void *)(uintptr_t)idtr.base;
}

SELFTEST(the_idt_is_read_only_after_boot)
{
    struct descriptor_table_pointer idtr;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    void *idt = current_idt();
    SELFTEST_ASSERT(in_boot_data(idt));
    SELFTEST_ASSERT(in_boot_data((const char *)idt + idtr.limit));
    SELFTEST_ASSERT(write_faults(idt));
}

/* Each CPU's try: whether its write to its IDT was refused (selftest_fail is the caller's). */
static bool refused_on[CPU_MAX];

static void try_writing_the_idt(void *unused)
{
    struct fault_info fault;
    void *idt = current_idt();

    (void)unused;
    refused_on[this_cpu()->index] =
        selftest_catch_fault(rewrite_byte, idt, &fault) && refused(idt, &fault);
}

/*
 * Every CPU refuses the write, not only the one that protected the boot data: an AP's TLB may
 * have held the IDT's page writable from the interrupts it took before (SDM vol. 3A, 4.10.5),
 * until the shootdown after the protection. (QEMU's TLBs happen not to keep it that long: there
 * the test passes without the shootdown too; it still fails an AP left on other page tables.)
 */
SELFTEST(boot_data_is_read_only_on_every_cpu)
{
    for (unsigned i = 0; i < CPU_MAX; i++)
        refused_on[i] = false;
    SELFTEST_ASSERT(smp_call_all(try_writing_the_idt, NULL));
    for (unsigned i = 0; i < cpu_count(); i++)
        if (cpu_get(i)->online)
            SELFTEST_ASSERT(refused_on[i]);
}

SELFTEST(the_stack_canary_is_read_only_after_boot)
{
    SELFTEST_ASSERT(in_boot_data(&__stack_chk_guard));
    SELFTEST_ASSERT(__stack_chk_guard != 0);
    SELFTEST_ASSERT((__stack_chk_guard & 0xff) == 0); /* the NUL that stops string overruns */
    SELFTEST_ASSERT(write_faults(&__stack_chk_guard));
}

/* RDSEED (or, should it fail 10 times, RDRAND) when the CPU has it, else RDRAND, else the TSC. */
SELFTEST(the_stack_canary_comes_from_the_best_source)
{
    const char *source = stack_protector_source();

    SELFTEST_ASSERT(source != NULL);
    if (cpu_has_rdseed())
        SELFTEST_ASSERT(strcmp(source, "RDSEED") == 0 || strcmp(source, "RDRAND") == 0);
    else if (cpu_has_rdrand())
        SELFTEST_ASSERT(strcmp(source, "RDRAND") == 0);
    else
        SELFTEST_ASSERT(strcmp(source, "TSC") == 0);
}

/* Constant from the start, which is better still: the option table lies in .rodata. */
SELFTEST(the_option_table_is_read_only)
{
    const void *table = __cmdline_options_start;

    SELFTEST_ASSERT(in_range(table, __rodata_start, __rodata_end));
    SELFTEST_ASSERT(write_faults((void *)(uintptr_t)table));
}

/* Both ends of the section, and where .data begins just above it. */
SELFTEST(boot_data_ends_where_writable_data_begins)
{
    struct paging_mapping m;

    for (uintptr_t page = (uintptr_t)__ro_after_init_start; page < (uintptr_t)__ro_after_init_end;
         page += PAGE_SIZE) {
        SELFTEST_ASSERT(paging_translate(kernel_page_tables_root(), page, &m));
        SELFTEST_ASSERT(!(m.flags & PTE_WRITABLE));
        SELFTEST_ASSERT(!!(m.flags & PTE_NX) == kernel_page_tables_facts().nx);
    }
    SELFTEST_ASSERT(write_faults(__ro_after_init_start));
    SELFTEST_ASSERT(write_faults((void *)((uintptr_t)__ro_after_init_end - 1)));
    SELFTEST_ASSERT(!selftest_catch_fault(rewrite_byte, __data_start, NULL));
}
