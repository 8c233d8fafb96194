/*
 * The HPET and the ACPI PM timer as the clock's counters (arch/x86_64/pc/hpet.c, pm_timer.c), on
 * fake registers: the HPET's period at both ends of the range its specification allows, its
 * 32- and 64-bit counters, the counter started; the PM timer in memory, its reserved bits
 * masked, an address space it cannot be in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64/pc/hpet.h"
#include "arch/x86_64/pc/pm_timer.h"
#include "kernel/acpi.h"
#include "kernel/vm.h"
#include "tests/host/console_stub.h"

static struct acpi_info info;
/* The HPET's first KiB of registers, or the PM timer's one; what vm_map_phys hands out. */
static uint64_t registers[0x400 / 8];
static uint64_t mapped_phys;
static bool map_fails;
static int frees;

const struct acpi_info *acpi_get(void)
{
    return &info;
}

void *vm_map_phys(uint64_t phys, uint64_t size, enum memory_type type)
{
    assert_int_equal(type, MEMORY_UNCACHED);
    assert_true(size <= sizeof(registers));
    mapped_phys = phys;
    return map_fails ? NULL : registers;
}

void vm_free(void *addr)
{
    assert_ptr_equal(addr, registers);
    frees++;
}

#define HPET_PHYS             0xfed00000ULL
#define CAP(period_fs, flags) ((uint64_t)(period_fs) << 32 | (flags))
#define COUNTER_64BIT         (1ULL << 13)

static int reset(void **state)
{
    (void)state;
    memset(&info, 0, sizeof(info));
    memset(registers, 0, sizeof(registers));
    map_fails = false;
    frees = 0;
    mapped_phys = 0;
    info.hpet.present = true;
    info.hpet.base = (struct acpi_gas){.space = ACPI_SPACE_MEMORY, .address = HPET_PHYS};
    console_stub_reset();
    return 0;
}

static void test_hpet_period_at_both_ends(void **state)
{
    struct clock_counter counter;

    (void)state;
    registers[0] = CAP(0, COUNTER_64BIT);
    assert_false(hpet_counter(&counter));
    assert_non_null(strstr(console_stub_output, "HPET period 0 fs is not in 1-100000000"));
    assert_int_equal(frees, 1);

    registers[0] = CAP(1, COUNTER_64BIT);
    assert_true(hpet_counter(&counter));
    assert_true(counter.hz == 1000000000000000ULL);

    registers[0] = CAP(100000000, COUNTER_64BIT); /* 100 ns: 10 MHz, the slowest allowed */
    assert_true(hpet_counter(&counter));
    assert_int_equal(counter.hz, 10000000);

    registers[0] = CAP(100000001, COUNTER_64BIT);
    assert_false(hpet_counter(&counter));
    assert_int_equal(frees, 2);
    /* A missing HPET reads as all ones. */
    registers[0] = UINT64_MAX;
    assert_false(hpet_counter(&counter));
}

static void test_hpet_counter_started_and_read(void **state)
{
    struct clock_counter counter;

    (void)state;
    registers[0] = CAP(10000000, COUNTER_64BIT); /* QEMU's: 10 ns, 100 MHz */
    registers[0x10 / 8] = 0x2;                   /* legacy routing, left as it was */
    assert_true(hpet_counter(&counter));
    assert_true(mapped_phys == HPET_PHYS);
    assert_int_equal(registers[0x10 / 8], 0x3);
    assert_string_equal(counter.name, "HPET");
    assert_int_equal(counter.bits, 64);
    assert_int_equal(counter.hz, 100000000);
    registers[0xf0 / 8] = 0x123456789abcULL;
    assert_true(counter.read() == 0x123456789abcULL);
}

static void test_a_32_bit_hpet_is_read_32_bits_wide(void **state)
{
    struct clock_counter counter;

    (void)state;
    registers[0] = CAP(69841279, 0); /* 14.318 MHz, a 32-bit counter */
    assert_true(hpet_counter(&counter));
    assert_int_equal(counter.bits, 32);
    assert_int_equal(counter.hz, 1000000000000000ULL / 69841279);
    /* The upper half may read as anything: it must not reach the count. */
    registers[0xf0 / 8] = 0xdeadbeef00000010ULL;
    assert_int_equal(counter.read(), 0x10);
}

static void test_no_hpet_or_one_that_cannot_be_mapped(void **state)
{
    struct clock_counter counter;

    (void)state;
    info.hpet.present = false;
    assert_false(hpet_counter(&counter));
    assert_string_equal(console_stub_output, "");
    info.hpet.present = true;
    map_fails = true;
    assert_false(hpet_counter(&counter));
    assert_non_null(strstr(console_stub_output, "HPET at 0xfed00000 cannot be mapped"));
}

static void use_pm_timer(uint8_t space, uint64_t address, uint8_t bits)
{
    info.fadt.present = true;
    info.fadt.has_pm_timer = true;
    info.fadt.pm_timer = (struct acpi_gas){.space = space, .address = address};
    info.fadt.pm_timer_bits = bits;
}

static void test_pm_timer_in_memory_masks_reserved_bits(void **state)
{
    struct clock_counter counter;

    (void)state;
    use_pm_timer(ACPI_SPACE_MEMORY, 0xfe000608, 24);
    assert_true(pm_timer_counter(&counter));
    assert_true(mapped_phys == 0xfe000608);
    assert_string_equal(counter.name, "PM timer");
    assert_int_equal(counter.bits, 24);
    assert_int_equal(counter.hz, 3579545);
    registers[0] = 0xab123456; /* bits 31:24 reserved in a 24-bit timer */
    assert_int_equal(counter.read(), 0x123456);
}

static void test_a_32_bit_pm_timer_keeps_every_bit(void **state)
{
    struct clock_counter counter;

    (void)state;
    use_pm_timer(ACPI_SPACE_MEMORY, 0xfe000608, 32);
    assert_true(pm_timer_counter(&counter));
    assert_int_equal(counter.bits, 32);
    registers[0] = 0xab123456;
    assert_int_equal(counter.read(), 0xab123456);
}

static void test_pm_timer_elsewhere_is_not_used(void **state)
{
    struct clock_counter counter;

    (void)state;
    use_pm_timer(ACPI_SPACE_PCI_CONFIG, 0x608, 24);
    assert_false(pm_timer_counter(&counter));
    assert_non_null(strstr(console_stub_output, "PM timer in address space 2 at 0x608"));
    /* An I/O port above 0xffff does not exist. */
    use_pm_timer(ACPI_SPACE_IO, 0x10000, 24);
    assert_false(pm_timer_counter(&counter));
    info.fadt.has_pm_timer = false;
    assert_false(pm_timer_counter(&counter));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_hpet_period_at_both_ends, reset),
        cmocka_unit_test_setup(test_hpet_counter_started_and_read, reset),
        cmocka_unit_test_setup(test_a_32_bit_hpet_is_read_32_bits_wide, reset),
        cmocka_unit_test_setup(test_no_hpet_or_one_that_cannot_be_mapped, reset),
        cmocka_unit_test_setup(test_pm_timer_in_memory_masks_reserved_bits, reset),
        cmocka_unit_test_setup(test_a_32_bit_pm_timer_keeps_every_bit, reset),
        cmocka_unit_test_setup(test_pm_timer_elsewhere_is_not_used, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
