/* In-kernel tests of the exception path: each fault arrives with the right vector and details. */
#include <stdint.h>

#include "arch/x86_64/cpu/gdt.h"
#include "arch/x86_64/cpu/stack.h"
#include "arch/x86_64/traps/exceptions.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/symbols.h"

static void do_nothing(void *arg)
{
    (void)arg;
}

static void execute_ud2(void *arg)
{
    (void)arg;
    __asm__ volatile("ud2");
}

static void execute_int3(void *arg)
{
    (void)arg;
    __asm__ volatile("int3");
}

static void read_address(void *address)
{
    __asm__ volatile("movq (%0), %%rax" : : "r"(address) : "rax", "memory");
}

static void write_address(void *address)
{
    __asm__ volatile("movq $0, (%0)" : : "r"(address) : "memory");
}

SELFTEST(fault_catch_without_a_fault)
{
    struct fault_info fault = {.vector = 99};

    SELFTEST_ASSERT(!selftest_catch_fault(do_nothing, NULL, &fault));
    SELFTEST_ASSERT_EQ(fault.vector, 0);
}

SELFTEST(invalid_opcode_is_vector_6)
{
    struct fault_info fault;

    SELFTEST_ASSERT(selftest_catch_fault(execute_ud2, NULL, &fault));
    SELFTEST_ASSERT_EQ(fault.vector, EXCEPTION_INVALID_OPCODE);
    SELFTEST_ASSERT(strcmp(fault.name, "invalid opcode (#UD)") == 0);
    uintptr_t offset;
    const char *where = symbol_lookup(fault.ip, &offset);
    SELFTEST_ASSERT(where && strcmp(where, "execute_ud2") == 0);
}

SELFTEST(breakpoint_is_vector_3)
{
    SELFTEST_ASSERT(selftest_expect_fault(EXCEPTION_BREAKPOINT, execute_int3, NULL));
}

SELFTEST(null_read_is_a_page_fault_at_0)
{
    struct fault_info fault;

    SELFTEST_ASSERT(selftest_catch_fault(read_address, NULL, &fault));
    SELFTEST_ASSERT_EQ(fault.vector, EXCEPTION_PAGE_FAULT);
    SELFTEST_ASSERT_EQ(fault.address, 0);
    SELFTEST_ASSERT_EQ(fault.error_code, 0); /* not present, read, kernel mode */
}

SELFTEST(stack_guard_page_is_unmapped)
{
    struct fault_info fault;
    char *inside = boot_stack_guard + 64;

    SELFTEST_ASSERT(selftest_catch_fault(write_address, inside, &fault));
    SELFTEST_ASSERT_EQ(fault.vector, EXCEPTION_PAGE_FAULT);
    SELFTEST_ASSERT_EQ(fault.address, (uintptr_t)inside);
    SELFTEST_ASSERT_EQ(fault.error_code, 2); /* not present, write, kernel mode */
}

SELFTEST(non_canonical_read_is_a_general_protection_fault)
{
    struct fault_info fault;

    SELFTEST_ASSERT(selftest_catch_fault(read_address, (void *)0x8000000000000000ull, &fault));
    SELFTEST_ASSERT_EQ(fault.vector, EXCEPTION_GENERAL_PROTECTION);
    SELFTEST_ASSERT_EQ(fault.error_code, 0);
}

static void nested_catch(void *caught)
{
    *(bool *)caught = selftest_catch_fault(execute_ud2, NULL, NULL);
    execute_int3(NULL); /* for the outer catch */
}

SELFTEST(fault_catches_nest)
{
    bool inner = false;
    struct fault_info outer;

    SELFTEST_ASSERT(selftest_catch_fault(nested_catch, &inner, &outer));
    SELFTEST_ASSERT(inner);
    SELFTEST_ASSERT_EQ(outer.vector, EXCEPTION_BREAKPOINT);
}

SELFTEST(segment_registers_hold_keel_gdt)
{
    uint16_t cs, ss, tr;

    __asm__ volatile("movw %%cs, %0; movw %%ss, %1; strw %2" : "=r"(cs), "=r"(ss), "=r"(tr));
    SELFTEST_ASSERT_EQ(cs, GDT_KERNEL_CODE);
    SELFTEST_ASSERT_EQ(ss, GDT_KERNEL_DATA);
    SELFTEST_ASSERT_EQ(tr, GDT_TSS);
}

SELFTEST(symbol_table_names_functions)
{
    uintptr_t offset = 1;

    SELFTEST_ASSERT(
        strcmp(symbol_lookup((uintptr_t)exception_dispatch, &offset), "exception_dispatch") == 0);
    SELFTEST_ASSERT_EQ(offset, 0);
    SELFTEST_ASSERT(strcmp(symbol_lookup((uintptr_t)exception_dispatch + 3, &offset),
                           "exception_dispatch") == 0);
    SELFTEST_ASSERT_EQ(offset, 3);
    SELFTEST_ASSERT(symbol_lookup(0x1000, &offset) == NULL);
}
