/* Host tests of the kernel GDT's descriptors (arch/x86_64/cpu/gdt.h), bit by bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/x86_64/cpu/gdt.h"

/* Intel SDM vol. 3A, 3.4.5, figure 3-8: the access byte is bits 47:40, the flags bits 55:52. */
static unsigned access_byte(uint64_t descriptor)
{
    return (unsigned)(descriptor >> 40 & 0xff);
}

static unsigned flags(uint64_t descriptor)
{
    return (unsigned)(descriptor >> 52 & 0xf);
}

/*
 * Loading a selector whose descriptor has the accessed bit (bit 40) clear makes the CPU write it
 * (SDM vol. 3A, 3.4.5.1): a GDT in a read-only page would fault, or on an AP still running on the
 * trampoline's tables, write memory that is not ours. Set, the CPU never writes.
 */
static void test_code_descriptor(void **state)
{
    (void)state;
    /* P=1, DPL=0, S=1, type 1011: code, execute/read, accessed. */
    assert_int_equal(access_byte(GDT_KERNEL_CODE_DESCRIPTOR), 0x9b);
    /* G=1, D=0, L=1: 64-bit code. */
    assert_int_equal(flags(GDT_KERNEL_CODE_DESCRIPTOR), 0xa);
}

static void test_data_descriptor(void **state)
{
    (void)state;
    /* P=1, DPL=0, S=1, type 0011: data, read/write, accessed. */
    assert_int_equal(access_byte(GDT_KERNEL_DATA_DESCRIPTOR), 0x93);
    assert_int_equal(flags(GDT_KERNEL_DATA_DESCRIPTOR), 0xc);
}

static void test_flat_limit(void **state)
{
    (void)state;
    /* Limit 0xfffff in 4 KiB units, base 0: ignored in 64-bit mode, but what the boot GDT has. */
    assert_int_equal(GDT_KERNEL_CODE_DESCRIPTOR & 0x000f00000000ffffULL, 0x000f00000000ffffULL);
    assert_int_equal(GDT_KERNEL_DATA_DESCRIPTOR & 0xff0000ffffff0000ULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_descriptor),
        cmocka_unit_test(test_data_descriptor),
        cmocka_unit_test(test_flat_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
