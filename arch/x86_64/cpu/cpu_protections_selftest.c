/*
 * In-kernel tests of SMEP, SMAP and UMIP: CR4 holds exactly the ones the CPU has, and those that
 * are on bite. A page mapped for user mode is one the kernel may neither run (SMEP) nor touch
 * outside user_access_begin/end (SMAP).
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu/cpu.h"
#include "arch/x86_64/cpu/cpu_features.h"
#include "arch/x86_64/cpu/cpu_protections.h"
#include "arch/x86_64/mm/kernel_page_tables.h"
#include "arch/x86_64/traps/exceptions.h"
#include "kernel/phys.h"
#include "kernel/pmm.h"
#include "kernel/selftest.h"

/* Somewhere in the lower half, the user half, where nothing is mapped. */
#define USER_TEST_PAGE 0x0000100000000000ULL

#define X86_RET 0xc3

static void read_byte(void *p)
{
    uint8_t byte;

    __asm__ volatile("movb (%1), %0" : "=q"(byte) : "r"(p) : "memory");
    (void)byte;
}

static void read_byte_as_user_access(void *p)
{
    user_access_begin();
    read_byte(p);
    user_access_end();
}

static void call_code(void *p)
{
    ((void (*)(void))p)();
}

/* fn(USER_TEST_PAGE) page-faults on the present page, with all of error bits `expected` set. */
static bool protection_fault(void (*fn)(void *), uint64_t expected)
{
    struct fault_info fault;

    if (!selftest_catch_fault(fn, (void *)(uintptr_t)USER_TEST_PAGE, &fault)) {
        selftest_fail(NULL, 0, "no fault on the user page");
        return false;
    }
    if (fault.vector != EXCEPTION_PAGE_FAULT || fault.address != USER_TEST_PAGE ||
        (fault.error_code & (PF_PRESENT | expected)) != (PF_PRESENT | expected) ||
        (fault.error_code & PF_USER)) {
        selftest_fail(
            NULL, 0, "expected a kernel-mode protection fault, got %s at 0x%llx, error 0x%llx",
            fault.name, (unsigned long long)fault.address, (unsigned long long)fault.error_code);
        return false;
    }
    return true;
}

SELFTEST(cr4_has_the_protections_the_cpu_has)
{
    uint64_t cr4 = cpu_read_cr4();

    SELFTEST_ASSERT(cpu_protections.smep == cpu_has_smep());
    SELFTEST_ASSERT(cpu_protections.smap == cpu_has_smap());
    SELFTEST_ASSERT(cpu_protections.umip == cpu_has_umip());
    SELFTEST_ASSERT(!!(cr4 & CR4_SMEP) == cpu_protections.smep);
    SELFTEST_ASSERT(!!(cr4 & CR4_SMAP) == cpu_protections.smap);
    SELFTEST_ASSERT(!!(cr4 & CR4_UMIP) == cpu_protections.umip);
}

/* With SMEP and SMAP on, the kernel faults on a user page; with SMAP off it reads it freely. */
SELFTEST(user_pages_are_closed_to_the_kernel)
{
    uint64_t frame = pmm_alloc();

    SELFTEST_ASSERT(frame != PMM_NO_FRAME);
    *(volatile uint8_t *)phys_to_virt(frame) = X86_RET;
    kernel_map(USER_TEST_PAGE, frame, PAGE_SIZE, PTE_USER | PTE_WRITABLE);

    bool read_faults = selftest_catch_fault(read_byte, (void *)(uintptr_t)USER_TEST_PAGE, NULL);
    bool smap_ok = !cpu_protections.smap || protection_fault(read_byte, 0);
    bool open_ok =
        !selftest_catch_fault(read_byte_as_user_access, (void *)(uintptr_t)USER_TEST_PAGE, NULL);
    bool smep_ok = !cpu_protections.smep || protection_fault(call_code, PF_INSTRUCTION);

    kernel_unmap(USER_TEST_PAGE, PAGE_SIZE);
    pmm_free(frame);
    SELFTEST_ASSERT(read_faults == cpu_protections.smap);
    SELFTEST_ASSERT(smap_ok);
    SELFTEST_ASSERT(open_ok);
    SELFTEST_ASSERT(smep_ok);
}
